package io.deltasql.core.log;

import io.deltasql.core.actions.Protocol;
import java.util.List;
import java.util.Set;

/** Which Delta reader protocols deltasql can honour; refuses the others with a clear error. */
public final class ProtocolSupport {
  /** Highest reader version deltasql reads. */
  public static final int MAX_READER_VERSION = 3;

  /** Reader features deltasql reads correctly. */
  public static final Set<String> SUPPORTED_READER_FEATURES = Set.of(
      "columnMapping",
      "deletionVectors",
      "timestampNtz",
      "v2Checkpoint",
      "vacuumProtocolCheck",
      "typeWidening",
      "typeWidening-preview",
      "variantType",
      "variantType-preview");

  /** Features that mean another catalog owns the table's commits. */
  public static final Set<String> CATALOG_MANAGED_FEATURES = Set.of("catalogManaged", "catalogOwned-preview");

  private ProtocolSupport() {}

  /** Refuses a protocol deltasql cannot read, naming the table, version and reason. */
  public static void checkReadable(String tableRoot, long version, Protocol protocol) {
    if (protocol.minReaderVersion() > MAX_READER_VERSION || protocol.minReaderVersion() < 1) {
      throw LogErrors.unsupportedReaderVersion(tableRoot, version, protocol.minReaderVersion());
    }
    for (String feature : protocol.readerFeatures()) {
      if (CATALOG_MANAGED_FEATURES.contains(feature)) {
        throw LogErrors.catalogManaged(tableRoot, version);
      }
    }
    for (String feature : protocol.writerFeatures()) {
      if (CATALOG_MANAGED_FEATURES.contains(feature)) {
        throw LogErrors.catalogManaged(tableRoot, version);
      }
    }
    if (protocol.supportsReaderFeatures()) {
      List<String> unsupported = protocol.readerFeatures().stream()
          .filter(f -> !SUPPORTED_READER_FEATURES.contains(f))
          .sorted()
          .toList();
      if (!unsupported.isEmpty()) {
        throw LogErrors.unsupportedReaderFeatures(tableRoot, version, unsupported);
      }
    }
  }
}
