package io.deltasql.core.data;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows into new data files of a table and returns their {@code add} actions (to be
 * committed by the caller): paths relative to the table root, partition values serialized per
 * the protocol and keyed by stored (physical) name, size, modification time,
 * {@code dataChange=true} and statistics.
 *
 * <p>Rows hold every column of the table in schema order ({@link RowChecker} checks each one
 * before it is written). Rows of a partitioned table go to Hive-style folders
 * ({@code col=value/}) without the partition columns in the files; an empty string partition
 * value is null, as the protocol says. A file is finished once it reaches the target size and
 * the next rows go to a new one.
 *
 * <p>A write is all or nothing: if any row is refused or storage fails, files already
 * finished by this write are deleted and open ones abandoned, and the error is thrown.
 */
public final class DataFileWriter {
  private static final Logger LOG = LoggerFactory.getLogger(DataFileWriter.class);
  /** The table property that limits statistics to the first N leaf columns. */
  public static final String NUM_INDEXED_COLS = "delta.dataSkippingNumIndexedCols";
  private static final int DEFAULT_INDEXED_COLUMNS = 32;

  private final Storage storage;
  private final String tableRoot;
  private final TableLayout layout;
  private final WriteOptions options;
  private final int indexedColumns;
  private final StructType dataColumns;
  private final MessageType parquetSchema;
  private final int[] dataIndexes;
  private final int[] partitionIndexes;

  /**
   * @param indexedColumns statistics cover this many leaf columns; negative for all
   */
  public DataFileWriter(Storage storage, String tableRoot, TableLayout layout,
      WriteOptions options, int indexedColumns) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.tableRoot = Objects.requireNonNull(tableRoot, "tableRoot");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.options = Objects.requireNonNull(options, "options");
    this.indexedColumns = indexedColumns;
    this.dataColumns = new StructType(layout.dataColumns());
    this.parquetSchema = ParquetSchemas.of(layout.dataColumns(), layout.columnMappingMode());
    List<Integer> data = new ArrayList<>();
    for (int i = 0; i < layout.schema().fields().size(); i++) {
      if (!layout.isPartitionColumn(i)) {
        data.add(i);
      }
    }
    this.dataIndexes = data.stream().mapToInt(Integer::intValue).toArray();
    this.partitionIndexes = layout.partitionColumns().stream()
        .mapToInt(f -> layout.requireIndex(f.name())).toArray();
  }

  /**
   * A writer for the table at {@code tableRoot} with this metadata; statistics follow the
   * table's {@code delta.dataSkippingNumIndexedCols}.
   */
  public static DataFileWriter of(Storage storage, String tableRoot, Metadata metadata,
      WriteOptions options) {
    String indexed = metadata.configuration().get(NUM_INDEXED_COLS);
    int columns;
    try {
      columns = indexed == null ? DEFAULT_INDEXED_COLUMNS : Integer.parseInt(indexed.trim());
    } catch (NumberFormatException e) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE,
          "Table property " + NUM_INDEXED_COLS + "='" + indexed + "' of table " + tableRoot
              + " is not a number", e);
    }
    return new DataFileWriter(storage, tableRoot, TableLayout.of(metadata, tableRoot), options,
        columns);
  }

  public TableLayout layout() {
    return layout;
  }

  /**
   * Writes the rows and returns the {@code add} actions of the new files (none for no rows).
   *
   * @throws DeltaException {@code 42804} for a value of the wrong Java class or a row of the
   *     wrong length, {@code 22000} for a value out of its type's range and (until SQLState
   *     {@code 23502} exists) for a NULL in a NOT NULL column, {@code 58030} if storage fails;
   *     in every case no file of this write is left
   */
  public List<AddFile> write(Iterable<Object[]> rows) {
    Objects.requireNonNull(rows, "rows");
    Write write = new Write();
    try {
      long rowNumber = 0;
      for (Object[] row : rows) {
        write.add(row, ++rowNumber);
      }
      return write.finish();
    } catch (IOException e) {
      write.discard(e);
      throw DataErrors.writeFailed(write.currentPath(), e);
    } catch (RuntimeException e) {
      write.discard(e);
      throw e;
    }
  }

  /** The state of one call of {@link #write}. */
  private final class Write {
    private final RowChecker checker = new RowChecker(layout.schema());
    private final Map<List<String>, OpenDataFile> open = new LinkedHashMap<>();
    private final List<AddFile> finished = new ArrayList<>();
    private final String writeId = UUID.randomUUID().toString();
    private int fileCount;
    private String current = tableRoot;

    void add(Object[] row, long rowNumber) throws IOException {
      checker.check(row, rowNumber);
      List<String> partition = new ArrayList<>(partitionIndexes.length);
      for (int index : partitionIndexes) {
        partition.add(serialize(index, row[index]));
      }
      OpenDataFile file = open.get(partition);
      if (file == null) {
        if (open.size() >= options.maxOpenFiles()) {
          Iterator<OpenDataFile> oldest = open.values().iterator();
          OpenDataFile eldest = oldest.next();
          oldest.remove();
          finish(eldest);
        }
        file = newFile(partition);
        open.put(partition, file);
      }
      Object[] data = new Object[dataIndexes.length];
      for (int i = 0; i < dataIndexes.length; i++) {
        data[i] = row[dataIndexes[i]];
      }
      current = file.path();
      file.write(data);
      if (file.size() >= options.targetFileSize()) {
        open.remove(partition);
        finish(file);
      }
    }

    private String serialize(int index, Object value) {
      String text = PartitionValues.serialize(layout.type(index), value);
      return text == null || text.isEmpty() ? null : text;
    }

    private OpenDataFile newFile(List<String> partition) throws IOException {
      StringBuilder folder = new StringBuilder();
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < partitionIndexes.length; i++) {
        StructField field = layout.schema().fields().get(partitionIndexes[i]);
        String stored = layout.storedName(field);
        values.put(stored, partition.get(i));
        folder.append(PartitionPaths.segment(stored, partition.get(i))).append('/');
      }
      String name = String.format(Locale.ROOT, "part-%05d-%s-c000%s", fileCount++, writeId,
          options.compression().fileSuffix());
      String relative = folder + name;
      String path = StoragePaths.join(tableRoot, relative);
      current = path;
      StatsCollector stats = new StatsCollector(layout.dataColumns(),
          layout.columnMappingMode(), indexedColumns, options.statsStringPrefix());
      return new OpenDataFile(storage, path, relative, Collections.unmodifiableMap(values),
          dataColumns, parquetSchema, options, stats);
    }

    private void finish(OpenDataFile file) throws IOException {
      current = file.path();
      AddFile add = file.finish();
      finished.add(add);
      LOG.debug("data file written table={} path={} bytes={}", layout.table(), add.path(),
          add.size());
    }

    List<AddFile> finish() throws IOException {
      for (Iterator<OpenDataFile> files = open.values().iterator(); files.hasNext(); ) {
        OpenDataFile file = files.next();
        files.remove();
        finish(file);
      }
      LOG.info("data files written table={} files={}", layout.table(), finished.size());
      return List.copyOf(finished);
    }

    String currentPath() {
      return current;
    }

    /** Abandons open files and deletes finished ones. */
    void discard(Exception failure) {
      open.values().forEach(OpenDataFile::abandon);
      open.clear();
      for (AddFile add : finished) {
        String path = StoragePaths.resolveInTable(tableRoot, add.path());
        try {
          storage.delete(path);
        } catch (RuntimeException e) {
          failure.addSuppressed(e);
        }
      }
      LOG.warn("write failed, no file left table={} discarded={} reason={}", layout.table(),
          finished.size(), failure.getMessage());
    }
  }
}
