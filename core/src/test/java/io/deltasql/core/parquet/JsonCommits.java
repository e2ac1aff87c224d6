package io.deltasql.core.parquet;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Hand-written Delta commit files for the Kernel tests, serialized with plain Jackson
 * (this package does not depend on the product's JSON codec).
 */
final class JsonCommits {
  private JsonCommits() {}

  static void write(Storage storage, String tableRoot, long version, List<Action> actions) {
    String lines = actions.stream().map(JsonCommits::line).collect(Collectors.joining("\n", "", "\n"));
    storage.write(StoragePaths.join(StoragePaths.logDir(tableRoot), "%020d.json".formatted(version)),
        lines.getBytes(StandardCharsets.UTF_8));
  }

  private static String line(Action action) {
    ObjectNode line = SharedCheckpoints.JSON.createObjectNode();
    line.set(action.key(), body(action));
    return line.toString();
  }

  private static ObjectNode body(Action action) {
    ObjectNode node = SharedCheckpoints.JSON.createObjectNode();
    if (action instanceof Protocol p) {
      node.put("minReaderVersion", p.minReaderVersion()).put("minWriterVersion", p.minWriterVersion());
      p.readerFeatures().forEach(node.putArray("readerFeatures")::add);
      p.writerFeatures().forEach(node.putArray("writerFeatures")::add);
    } else if (action instanceof Metadata m) {
      node.put("id", m.id()).put("schemaString", m.schemaString());
      node.putObject("format").put("provider", m.format().provider()).putObject("options");
      m.partitionColumns().forEach(node.putArray("partitionColumns")::add);
      node.set("configuration", SharedCheckpoints.JSON.valueToTree(m.configuration()));
      m.createdTime().ifPresent(t -> node.put("createdTime", t));
    } else if (action instanceof AddFile a) {
      node.put("path", a.path()).put("size", a.size()).put("modificationTime", a.modificationTime())
          .put("dataChange", a.dataChange());
      node.set("partitionValues", SharedCheckpoints.JSON.valueToTree(a.partitionValues()));
      a.stats().ifPresent(s -> node.put("stats", s));
      a.deletionVector().ifPresent(dv -> node.set("deletionVector", deletionVector(dv)));
    } else if (action instanceof RemoveFile r) {
      node.put("path", r.path()).put("dataChange", r.dataChange());
      r.deletionTimestamp().ifPresent(t -> node.put("deletionTimestamp", t));
      r.deletionVector().ifPresent(dv -> node.set("deletionVector", deletionVector(dv)));
    } else if (action instanceof SetTransaction t) {
      node.put("appId", t.appId()).put("version", t.version());
    } else if (action instanceof DomainMetadata d) {
      node.put("domain", d.domain()).put("configuration", d.configuration()).put("removed", d.removed());
    } else {
      throw new IllegalArgumentException("not needed by the tests: " + action.key());
    }
    return node;
  }

  private static ObjectNode deletionVector(DeletionVectorDescriptor dv) {
    ObjectNode node = SharedCheckpoints.JSON.createObjectNode()
        .put("storageType", dv.storageType())
        .put("pathOrInlineDv", dv.pathOrInlineDv())
        .put("sizeInBytes", dv.sizeInBytes())
        .put("cardinality", dv.cardinality());
    dv.offset().ifPresent(o -> node.put("offset", o));
    return node;
  }
}
