package io.deltasql.core.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * The parsed Parquet footers of data files read recently, so that a query does not decode again
 * the footers of the files the previous query read (Thrift decoding of the same footers was
 * 11–12% of a scan's time). A data file of a Delta table is never rewritten in place: its path
 * and its size (from the {@code add} action) name one content. Holds at most {@code maxFiles}
 * footers and drops the least recently used. Thread-safe.
 */
public final class FooterCache {
  /** A cache that holds nothing: every read parses its file's footer. */
  public static final FooterCache NONE = new FooterCache(0);

  private final int maxFiles;
  private final Map<Key, ParquetMetadata> footers;

  /** @param maxFiles how many files' footers are kept at most (0: none) */
  public FooterCache(int maxFiles) {
    if (maxFiles < 0) {
      throw new IllegalArgumentException("maxFiles must be at least 0, not " + maxFiles);
    }
    this.maxFiles = maxFiles;
    this.footers = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, ParquetMetadata> eldest) {
        return size() > FooterCache.this.maxFiles;
      }
    };
  }

  /** The footer of the file at {@code path} of {@code size} bytes, if it is held. */
  Optional<ParquetMetadata> get(String path, long size) {
    if (maxFiles == 0) {
      return Optional.empty();
    }
    synchronized (footers) {
      return Optional.ofNullable(footers.get(new Key(path, size)));
    }
  }

  /** Keeps the footer of the file at {@code path} of {@code size} bytes. */
  void put(String path, long size, ParquetMetadata footer) {
    if (maxFiles == 0) {
      return;
    }
    synchronized (footers) {
      footers.put(new Key(path, size), footer);
    }
  }

  /** How many footers are held. */
  public int size() {
    synchronized (footers) {
      return footers.size();
    }
  }

  private record Key(String path, long size) {}
}
