package io.deltasql.core.actions;

import java.util.Set;

/**
 * The {@code protocol} action. Reader features are only written when
 * {@code minReaderVersion >= 3}, writer features when {@code minWriterVersion >= 7}
 * (table features); below those versions the sets are empty.
 */
public record Protocol(
    int minReaderVersion, int minWriterVersion, Set<String> readerFeatures, Set<String> writerFeatures)
    implements Action {
  public static final int TABLE_FEATURES_READER_VERSION = 3;
  public static final int TABLE_FEATURES_WRITER_VERSION = 7;

  public Protocol {
    readerFeatures = Maps.copyOf(readerFeatures);
    writerFeatures = Maps.copyOf(writerFeatures);
  }

  public Protocol(int minReaderVersion, int minWriterVersion) {
    this(minReaderVersion, minWriterVersion, Set.of(), Set.of());
  }

  /** Whether this protocol lists reader features (reader version 3 and up). */
  public boolean supportsReaderFeatures() {
    return minReaderVersion >= TABLE_FEATURES_READER_VERSION;
  }

  /** Whether this protocol lists writer features (writer version 7 and up). */
  public boolean supportsWriterFeatures() {
    return minWriterVersion >= TABLE_FEATURES_WRITER_VERSION;
  }

  @Override
  public String key() {
    return "protocol";
  }
}
