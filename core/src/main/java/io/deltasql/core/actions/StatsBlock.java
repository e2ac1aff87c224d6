package io.deltasql.core.actions;

import io.deltasql.core.json.FileStatsView;

/**
 * A block of stats JSON texts (see {@link EncodedText}) that also keeps what file skipping reads
 * of them in typed form: the stats section of a catalog file image. {@link AddFile#typedStats()}
 * answers from it without parsing a file's JSON.
 */
public interface StatsBlock extends EncodedText.ByteBlock {
  /**
   * The statistics of {@code text}, one of this block's, which answer as that text parsed by
   * {@link io.deltasql.core.json.FileStatsJson} would (statistics that do not parse answer as
   * {@link io.deltasql.core.json.FileStats#EMPTY}).
   */
  FileStatsView statsOf(EncodedText text);
}
