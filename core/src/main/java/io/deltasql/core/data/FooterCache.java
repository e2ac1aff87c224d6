package io.deltasql.core.data;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * The parsed Parquet footers of data files read recently, so that a query does not decode again
 * the footers of the files the previous query read (Thrift decoding of the same footers was
 * 6–12% of a scan's samples). A data file of a Delta table is never rewritten in place: its path
 * and its size (from the {@code add} action) name one content. Bounded by the column chunks the
 * footers describe (a footer's memory grows with its row groups times its columns, a few hundred
 * bytes each): holds footers of at most {@code maxColumnChunks} chunks in all and drops the least
 * recently used; a footer of more chunks than that is not kept. Thread-safe.
 */
public final class FooterCache {
  /** A cache that holds nothing: every read parses its file's footer. */
  public static final FooterCache NONE = new FooterCache(0);

  private final long maxColumnChunks;
  private final LinkedHashMap<Key, ParquetMetadata> footers = new LinkedHashMap<>(16, 0.75f, true);
  private long columnChunks;

  /** @param maxColumnChunks how many column chunks the footers kept describe at most (0: none kept) */
  public FooterCache(long maxColumnChunks) {
    if (maxColumnChunks < 0) {
      throw new IllegalArgumentException("maxColumnChunks must be at least 0, not " + maxColumnChunks);
    }
    this.maxColumnChunks = maxColumnChunks;
  }

  /** The footer of the file at {@code path} of {@code size} bytes, if it is held. */
  Optional<ParquetMetadata> get(String path, long size) {
    if (maxColumnChunks == 0) {
      return Optional.empty();
    }
    synchronized (footers) {
      return Optional.ofNullable(footers.get(new Key(path, size)));
    }
  }

  /** Keeps the footer of the file at {@code path} of {@code size} bytes, if it is not larger than the cache. */
  void put(String path, long size, ParquetMetadata footer) {
    long chunks = columnChunks(footer);
    if (chunks > maxColumnChunks) {
      return;
    }
    synchronized (footers) {
      ParquetMetadata replaced = footers.put(new Key(path, size), footer);
      columnChunks += chunks - (replaced == null ? 0 : columnChunks(replaced));
      Iterator<ParquetMetadata> eldest = footers.values().iterator();
      while (columnChunks > maxColumnChunks) {
        columnChunks -= columnChunks(eldest.next());
        eldest.remove();
      }
    }
  }

  /** How many footers are held. */
  public int size() {
    synchronized (footers) {
      return footers.size();
    }
  }

  /** The column chunks a footer describes, at least 1. */
  private static long columnChunks(ParquetMetadata footer) {
    long chunks = 0;
    for (BlockMetaData block : footer.getBlocks()) {
      chunks += block.getColumns().size();
    }
    return Math.max(1, chunks);
  }

  private record Key(String path, long size) {}
}
