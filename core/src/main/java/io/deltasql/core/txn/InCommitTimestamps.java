package io.deltasql.core.txn;

import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * In-commit timestamps on the tables deltasql creates (DESIGN.md: every table written by
 * deltasql uses them, so that timestamp time travel agrees between the catalog and every
 * external reader although mirroring happens after the commit). A table has them when its
 * metadata sets {@value #ENABLE_PROPERTY}{@code =true} and its protocol lists the
 * {@value #FEATURE} writer feature, which needs writer version 7.
 */
public final class InCommitTimestamps {
  /** The table property that turns in-commit timestamps on. */
  public static final String ENABLE_PROPERTY = "delta.enableInCommitTimestamps";
  /** The writer feature of in-commit timestamps. */
  public static final String FEATURE = "inCommitTimestamp";
  /** The protocol of a new table when its creator asks for none: writer features, in-commit timestamps. */
  public static final Protocol DEFAULT_PROTOCOL = new Protocol(1, Protocol.TABLE_FEATURES_WRITER_VERSION, Set.of(),
      Set.of(FEATURE));

  private InCommitTimestamps() {}

  /** {@code metadata} with {@value #ENABLE_PROPERTY} set to {@code true}. */
  public static Metadata enable(Metadata metadata) {
    Checks.notNull(metadata, "metadata");
    if (isEnabled(metadata)) {
      return metadata;
    }
    Map<String, String> configuration = new LinkedHashMap<>(metadata.configuration());
    configuration.put(ENABLE_PROPERTY, "true");
    return metadata.withConfiguration(configuration);
  }

  /**
   * {@code protocol} with the {@value #FEATURE} writer feature: a legacy writer version is
   * raised to 7 and the features it implied are listed explicitly, so that nothing the table
   * required before is dropped; the reader side is kept.
   */
  public static Protocol enable(Protocol protocol) {
    Checks.notNull(protocol, "protocol");
    if (protocol.supportsWriterFeatures() && protocol.writerFeatures().contains(FEATURE)) {
      return protocol;
    }
    Set<String> writerFeatures = new LinkedHashSet<>(WriterFeatureSupport.requiredFeatures(protocol));
    writerFeatures.addAll(protocol.readerFeatures());
    writerFeatures.add(FEATURE);
    return new Protocol(protocol.minReaderVersion(), Protocol.TABLE_FEATURES_WRITER_VERSION, protocol.readerFeatures(),
        writerFeatures);
  }

  /** Whether the metadata turns in-commit timestamps on. */
  public static boolean isEnabled(Metadata metadata) {
    return "true".equalsIgnoreCase(Checks.notNull(metadata, "metadata").configuration().get(ENABLE_PROPERTY));
  }
}
