package io.deltasql.core.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.actions.Sidecar;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Writes an {@link Action} as the single-key JSON object of a log line, with fields in the
 * order Delta's reference implementation writes them. Absent optional fields and empty
 * {@code tags} are omitted; {@code partitionValues} is always written, null values as JSON
 * {@code null}; reader and writer features only when the protocol versions support them.
 */
final class ActionWriter {
  private ActionWriter() {}

  static void write(JsonGenerator g, Action action) throws IOException {
    g.writeStartObject();
    g.writeFieldName(action.key());
    if (action instanceof AddFile a) {
      add(g, a);
    } else if (action instanceof RemoveFile r) {
      remove(g, r);
    } else if (action instanceof Metadata m) {
      metadata(g, m);
    } else if (action instanceof Protocol p) {
      protocol(g, p);
    } else if (action instanceof CommitInfo c) {
      g.writeTree(c.values());
    } else if (action instanceof AddCdcFile c) {
      cdc(g, c);
    } else if (action instanceof SetTransaction t) {
      g.writeStartObject();
      g.writeStringField("appId", t.appId());
      g.writeNumberField("version", t.version());
      optionalLong(g, "lastUpdated", t.lastUpdated());
      g.writeEndObject();
    } else if (action instanceof DomainMetadata d) {
      g.writeStartObject();
      g.writeStringField("domain", d.domain());
      g.writeStringField("configuration", d.configuration());
      g.writeBooleanField("removed", d.removed());
      g.writeEndObject();
    } else if (action instanceof CheckpointMetadata c) {
      g.writeStartObject();
      g.writeNumberField("version", c.version());
      tags(g, c.tags());
      g.writeEndObject();
    } else if (action instanceof Sidecar s) {
      sidecarBody(g, s);
    } else {
      throw new IllegalStateException("Unhandled action " + action.getClass().getName());
    }
    g.writeEndObject();
  }

  private static void add(JsonGenerator g, AddFile a) throws IOException {
    g.writeStartObject();
    g.writeStringField("path", a.path());
    stringMap(g, "partitionValues", a.partitionValues());
    g.writeNumberField("size", a.size());
    g.writeNumberField("modificationTime", a.modificationTime());
    g.writeBooleanField("dataChange", a.dataChange());
    optionalString(g, "stats", a.stats());
    tags(g, a.tags());
    if (a.deletionVector().isPresent()) {
      deletionVector(g, a.deletionVector().get());
    }
    optionalLong(g, "baseRowId", a.baseRowId());
    optionalLong(g, "defaultRowCommitVersion", a.defaultRowCommitVersion());
    optionalString(g, "clusteringProvider", a.clusteringProvider());
    g.writeEndObject();
  }

  private static void remove(JsonGenerator g, RemoveFile r) throws IOException {
    g.writeStartObject();
    g.writeStringField("path", r.path());
    optionalLong(g, "deletionTimestamp", r.deletionTimestamp());
    g.writeBooleanField("dataChange", r.dataChange());
    if (r.extendedFileMetadata().isPresent()) {
      g.writeBooleanField("extendedFileMetadata", r.extendedFileMetadata().get());
    }
    if (r.partitionValues().isPresent()) {
      stringMap(g, "partitionValues", r.partitionValues().get());
    }
    optionalLong(g, "size", r.size());
    tags(g, r.tags());
    if (r.deletionVector().isPresent()) {
      deletionVector(g, r.deletionVector().get());
    }
    optionalLong(g, "baseRowId", r.baseRowId());
    optionalLong(g, "defaultRowCommitVersion", r.defaultRowCommitVersion());
    optionalString(g, "stats", r.stats());
    g.writeEndObject();
  }

  private static void cdc(JsonGenerator g, AddCdcFile c) throws IOException {
    g.writeStartObject();
    g.writeStringField("path", c.path());
    stringMap(g, "partitionValues", c.partitionValues());
    g.writeNumberField("size", c.size());
    tags(g, c.tags());
    g.writeBooleanField("dataChange", c.dataChange());
    g.writeEndObject();
  }

  private static void metadata(JsonGenerator g, Metadata m) throws IOException {
    g.writeStartObject();
    g.writeStringField("id", m.id());
    optionalString(g, "name", m.name());
    optionalString(g, "description", m.description());
    g.writeObjectFieldStart("format");
    g.writeStringField("provider", m.format().provider());
    stringMap(g, "options", m.format().options());
    g.writeEndObject();
    g.writeStringField("schemaString", m.schemaString());
    strings(g, "partitionColumns", m.partitionColumns());
    stringMap(g, "configuration", m.configuration());
    optionalLong(g, "createdTime", m.createdTime());
    g.writeEndObject();
  }

  private static void protocol(JsonGenerator g, Protocol p) throws IOException {
    if (!p.supportsReaderFeatures() && !p.readerFeatures().isEmpty()) {
      throw new IllegalArgumentException("Protocol " + p.minReaderVersion() + "/"
          + p.minWriterVersion() + " cannot list reader features " + p.readerFeatures()
          + ": they need minReaderVersion " + Protocol.TABLE_FEATURES_READER_VERSION);
    }
    if (!p.supportsWriterFeatures() && !p.writerFeatures().isEmpty()) {
      throw new IllegalArgumentException("Protocol " + p.minReaderVersion() + "/"
          + p.minWriterVersion() + " cannot list writer features " + p.writerFeatures()
          + ": they need minWriterVersion " + Protocol.TABLE_FEATURES_WRITER_VERSION);
    }
    g.writeStartObject();
    g.writeNumberField("minReaderVersion", p.minReaderVersion());
    g.writeNumberField("minWriterVersion", p.minWriterVersion());
    if (p.supportsReaderFeatures()) {
      strings(g, "readerFeatures", p.readerFeatures());
    }
    if (p.supportsWriterFeatures()) {
      strings(g, "writerFeatures", p.writerFeatures());
    }
    g.writeEndObject();
  }

  static void sidecarBody(JsonGenerator g, Sidecar s) throws IOException {
    g.writeStartObject();
    g.writeStringField("path", s.path());
    g.writeNumberField("sizeInBytes", s.sizeInBytes());
    g.writeNumberField("modificationTime", s.modificationTime());
    tags(g, s.tags());
    g.writeEndObject();
  }

  private static void deletionVector(JsonGenerator g, DeletionVectorDescriptor dv)
      throws IOException {
    g.writeObjectFieldStart("deletionVector");
    g.writeStringField("storageType", dv.storageType());
    g.writeStringField("pathOrInlineDv", dv.pathOrInlineDv());
    if (dv.offset().isPresent()) {
      g.writeNumberField("offset", dv.offset().get());
    }
    g.writeNumberField("sizeInBytes", dv.sizeInBytes());
    g.writeNumberField("cardinality", dv.cardinality());
    g.writeEndObject();
  }

  private static void tags(JsonGenerator g, Map<String, String> tags) throws IOException {
    if (!tags.isEmpty()) {
      stringMap(g, "tags", tags);
    }
  }

  private static void stringMap(JsonGenerator g, String name, Map<String, String> map)
      throws IOException {
    g.writeObjectFieldStart(name);
    for (Map.Entry<String, String> entry : map.entrySet()) {
      if (entry.getValue() == null) {
        g.writeNullField(entry.getKey());
      } else {
        g.writeStringField(entry.getKey(), entry.getValue());
      }
    }
    g.writeEndObject();
  }

  private static void strings(JsonGenerator g, String name, Collection<String> values)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (String value : values) {
      g.writeString(value);
    }
    g.writeEndArray();
  }

  private static void optionalString(JsonGenerator g, String name, Optional<String> value)
      throws IOException {
    if (value.isPresent()) {
      g.writeStringField(name, value.get());
    }
  }

  private static void optionalLong(JsonGenerator g, String name, Optional<Long> value)
      throws IOException {
    if (value.isPresent()) {
      g.writeNumberField(name, value.get());
    }
  }
}
