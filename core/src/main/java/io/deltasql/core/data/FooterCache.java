package io.deltasql.core.data;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * The parsed Parquet footers of data files read recently, so that a query does not decode again
 * the footers of the files the previous query read (Thrift decoding of the same footers was
 * 6–12% of a scan's samples). A data file of a Delta table is not rewritten in place, but a path
 * can come back (a table dropped and created again at its location, a file restored or copied
 * over): a footer is kept under the path, the size and the modification time of its
 * {@code add} action, so that a file written again at the same path, even of the same size, is
 * read with its own footer. Bounded by the column chunks the
 * footers describe (a footer's memory grows with its row groups times its columns, a few hundred
 * bytes each): a Caffeine cache weighing each footer by its chunks holds at most
 * {@code maxColumnChunks} in all (its admission policy keeps the footers read often when one
 * large scan passes through); a footer of more chunks than that is not kept. Thread-safe.
 */
public final class FooterCache {
  /** A cache that holds nothing: every read parses its file's footer. */
  public static final FooterCache NONE = new FooterCache(0);

  private final long maxColumnChunks;
  /** Null when nothing is kept. */
  private final Cache<Key, ParquetMetadata> footers;

  /** @param maxColumnChunks how many column chunks the footers kept describe at most (0: none kept) */
  public FooterCache(long maxColumnChunks) {
    if (maxColumnChunks < 0) {
      throw new IllegalArgumentException("maxColumnChunks must be at least 0, not " + maxColumnChunks);
    }
    this.maxColumnChunks = maxColumnChunks;
    this.footers = maxColumnChunks == 0 ? null : Caffeine.newBuilder()
        .maximumWeight(maxColumnChunks)
        .weigher((Key key, ParquetMetadata footer) -> (int) Math.min(Integer.MAX_VALUE, columnChunks(footer)))
        .executor(Runnable::run) // evicts in the caller: the bound holds when put returns
        .build();
  }

  /**
   * The footer of the file at {@code path} of {@code size} bytes modified at {@code modified}
   * (milliseconds since the epoch, as the {@code add} action says), if it is held.
   */
  Optional<ParquetMetadata> get(String path, long size, long modified) {
    return footers == null ? Optional.empty()
        : Optional.ofNullable(footers.getIfPresent(new Key(path, size, modified)));
  }

  /** Keeps the footer of a file as {@link #get} names it, if it is not larger than the cache. */
  void put(String path, long size, long modified, ParquetMetadata footer) {
    if (footers != null && columnChunks(footer) <= maxColumnChunks) {
      footers.put(new Key(path, size, modified), footer);
    }
  }

  /** How many footers are held. */
  public int size() {
    if (footers == null) {
      return 0;
    }
    footers.cleanUp();
    return (int) footers.estimatedSize();
  }

  /** The column chunks a footer describes, at least 1. */
  private static long columnChunks(ParquetMetadata footer) {
    long chunks = 0;
    for (BlockMetaData block : footer.getBlocks()) {
      chunks += block.getColumns().size();
    }
    return Math.max(1, chunks);
  }

  private record Key(String path, long size, long modified) {}
}
