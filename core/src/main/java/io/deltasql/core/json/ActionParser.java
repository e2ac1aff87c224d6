package io.deltasql.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.actions.Sidecar;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the JSON object of one log line into an {@link Action}: picks the one known action
 * key, ignores unknown keys and unknown fields, and checks every field it reads (PROTOCOL.md,
 * "Actions").
 */
final class ActionParser {
  private ActionParser() {}

  /** The action of a log line object, or empty when it holds only unknown keys. */
  static Optional<Action> parse(JsonNode line, String source) {
    if (!line.isObject()) {
      throw JsonErrors.corrupt(source,
          "a log line must be a JSON object holding one action, found " + JsonErrors.describe(line));
    }
    String key = null;
    JsonNode body = null;
    for (Map.Entry<String, JsonNode> entry : line.properties()) {
      if (!isKnown(entry.getKey()) || entry.getValue().isNull()) {
        continue;
      }
      if (key != null) {
        throw JsonErrors.corrupt(source, "the line holds two actions, '" + key + "' and '"
            + entry.getKey() + "', where the protocol allows one per line");
      }
      key = entry.getKey();
      body = entry.getValue();
    }
    if (key == null) {
      return Optional.empty();
    }
    return Optional.of(parseAction(key, body, source));
  }

  private static boolean isKnown(String key) {
    return switch (key) {
      case "add", "remove", "metaData", "protocol", "cdc", "commitInfo", "txn",
          "domainMetadata", "checkpointMetadata", "sidecar" -> true;
      default -> false;
    };
  }

  private static Action parseAction(String key, JsonNode body, String source) {
    JsonFields f = JsonFields.of(body, key, source);
    return switch (key) {
      case "add" -> add(f);
      case "remove" -> remove(f);
      case "metaData" -> metadata(f);
      case "protocol" -> protocol(f);
      case "cdc" -> cdc(f);
      case "commitInfo" -> new CommitInfo((ObjectNode) body);
      case "txn" -> new SetTransaction(
          f.requiredString("appId"), f.requiredLong("version"), f.optionalLong("lastUpdated"));
      case "domainMetadata" -> new DomainMetadata(
          f.requiredString("domain"), f.requiredString("configuration"),
          f.requiredBoolean("removed"));
      case "checkpointMetadata" -> new CheckpointMetadata(
          f.requiredLong("version"), f.optionalStringMap("tags"));
      case "sidecar" -> sidecar(f);
      default -> throw new IllegalStateException("Unhandled action key " + key);
    };
  }

  private static AddFile add(JsonFields f) {
    return new AddFile(
        f.requiredString("path"),
        f.requiredStringMap("partitionValues"),
        f.requiredLong("size"),
        f.requiredLong("modificationTime"),
        f.requiredBoolean("dataChange"),
        f.optionalString("stats"),
        f.optionalStringMap("tags"),
        f.optionalObject("deletionVector").map(ActionParser::deletionVector),
        f.optionalLong("baseRowId"),
        f.optionalLong("defaultRowCommitVersion"),
        f.optionalString("clusteringProvider"));
  }

  private static RemoveFile remove(JsonFields f) {
    return new RemoveFile(
        f.requiredString("path"),
        f.optionalLong("deletionTimestamp"),
        f.requiredBoolean("dataChange"),
        f.optionalBoolean("extendedFileMetadata"),
        f.optionalStringMapIfPresent("partitionValues"),
        f.optionalLong("size"),
        f.optionalString("stats"),
        f.optionalStringMap("tags"),
        f.optionalObject("deletionVector").map(ActionParser::deletionVector),
        f.optionalLong("baseRowId"),
        f.optionalLong("defaultRowCommitVersion"));
  }

  private static AddCdcFile cdc(JsonFields f) {
    return new AddCdcFile(
        f.requiredString("path"),
        f.requiredStringMap("partitionValues"),
        f.requiredLong("size"),
        f.optionalBoolean("dataChange").orElse(false),
        f.optionalStringMap("tags"));
  }

  static DeletionVectorDescriptor deletionVector(JsonFields f) {
    return new DeletionVectorDescriptor(
        f.requiredString("storageType"),
        f.requiredString("pathOrInlineDv"),
        f.optionalInt("offset"),
        f.requiredInt("sizeInBytes"),
        f.requiredLong("cardinality"));
  }

  private static Metadata metadata(JsonFields f) {
    JsonFields format = f.requiredObject("format");
    return new Metadata(
        f.requiredString("id"),
        f.optionalString("name"),
        f.optionalString("description"),
        new Format(format.requiredString("provider"), format.optionalStringMap("options")),
        f.requiredString("schemaString"),
        f.requiredStringList("partitionColumns"),
        f.requiredStringMap("configuration"),
        f.optionalLong("createdTime"));
  }

  /**
   * Reader (writer) features are kept only where the versions support them. Elsewhere an
   * empty list is tolerated and dropped; a non-empty one contradicts the versions.
   */
  private static Protocol protocol(JsonFields f) {
    int reader = f.requiredInt("minReaderVersion");
    int writer = f.requiredInt("minWriterVersion");
    Protocol versions = new Protocol(reader, writer);
    Set<String> readerFeatures = features(f, "readerFeatures", versions.supportsReaderFeatures(),
        "minReaderVersion " + reader + " has no reader features (they need version "
            + Protocol.TABLE_FEATURES_READER_VERSION + ")");
    Set<String> writerFeatures = features(f, "writerFeatures", versions.supportsWriterFeatures(),
        "minWriterVersion " + writer + " has no writer features (they need version "
            + Protocol.TABLE_FEATURES_WRITER_VERSION + ")");
    return new Protocol(reader, writer, readerFeatures, writerFeatures);
  }

  private static Set<String> features(
      JsonFields f, String name, boolean supported, String unsupportedReason) {
    Set<String> features = f.optionalStringSet(name).orElse(Set.of());
    if (!supported && !features.isEmpty()) {
      throw JsonErrors.invalidValue(f.source(), f.owner(), name,
          "lists " + features + " but " + unsupportedReason);
    }
    return supported ? features : Set.of();
  }

  static Sidecar sidecar(JsonFields f) {
    return new Sidecar(
        f.requiredString("path"),
        f.requiredLong("sizeInBytes"),
        f.requiredLong("modificationTime"),
        f.optionalStringMap("tags"));
  }
}
