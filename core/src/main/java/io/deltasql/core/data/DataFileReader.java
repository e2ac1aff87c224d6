package io.deltasql.core.data;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.parquet.StorageInputFile;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the live rows of one data file of a table: the columns asked for, partition columns
 * filled in from the {@code add} action's partition values, columns found by the table's
 * column mapping mode, rows of the file's deletion vector left out, row groups skipped when
 * their statistics show that a {@link Predicate} cannot match, and, when only top-level
 * primitive columns are read, rows the predicate rules out on their own values (skipping never
 * drops a matching row; the caller still filters). Columns the file does not store read as null (a column added
 * after the file was written). Values follow the package's Java value mapping, including the
 * type widenings of the {@code typeWidening} feature.
 *
 * <p>Thread-safe; each {@link #read} returns its own iterator.
 */
public final class DataFileReader {
  private static final Logger LOG = LoggerFactory.getLogger(DataFileReader.class);

  private final Storage storage;
  private final String tableRoot;
  private final TableLayout layout;
  private final DeletionVectorLoader deletionVectors;
  private final long wholeFileLimit;
  private final FooterCache footers;

  public DataFileReader(Storage storage, String tableRoot, TableLayout layout) {
    this(storage, tableRoot, layout, InMemoryInputFile.MAX_SIZE, FooterCache.NONE);
  }

  /**
   * @param wholeFileLimit files up to this size are read with one storage read when every data
   *     column is read (when only some are, up to {@link Storage#wholeReadLimit}); larger
   *     ones with ranged reads of the footer and the column chunks needed
   * @param footers the parsed footers of files read before, and where this reader keeps those it parses
   */
  DataFileReader(Storage storage, String tableRoot, TableLayout layout, long wholeFileLimit, FooterCache footers) {
    this.wholeFileLimit = wholeFileLimit;
    this.footers = Objects.requireNonNull(footers, "footers");
    this.storage = Objects.requireNonNull(storage, "storage");
    this.tableRoot = Objects.requireNonNull(tableRoot, "tableRoot");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.deletionVectors = new DeletionVectorLoader(storage, tableRoot);
  }

  /** A reader of the data files of the table at {@code tableRoot} with this metadata. */
  public static DataFileReader of(Storage storage, String tableRoot, Metadata metadata) {
    return of(storage, tableRoot, metadata, FooterCache.NONE);
  }

  /** A reader as {@link #of(Storage, String, Metadata)} that takes footers from and keeps them in {@code footers}. */
  public static DataFileReader of(Storage storage, String tableRoot, Metadata metadata, FooterCache footers) {
    return new DataFileReader(storage, tableRoot, TableLayout.of(metadata, tableRoot), InMemoryInputFile.MAX_SIZE,
        footers);
  }

  public TableLayout layout() {
    return layout;
  }

  /** Every column of the file's live rows, in schema order. */
  public RowIterator read(AddFile file) {
    return read(file, layout.schema().fieldNames(), null);
  }

  /** The given columns (top-level, by name) of the file's live rows, in that order. */
  public RowIterator read(AddFile file, List<String> columns) {
    return read(file, columns, null);
  }

  /**
   * The given columns of the file's live rows, skipping row groups where {@code filter} cannot
   * match and, when every column read is a top-level primitive, rows where it is certainly not
   * true (the result may still hold rows where it is not).
   *
   * @param filter a predicate for skipping, or null for none
   * @throws DeltaException {@code 42703} for an unknown column, {@code 42804} for a predicate
   *     literal of the wrong type, {@code 58030} if the file or its deletion vector cannot be
   *     read, {@code XX002} if either is corrupt, {@code XX001} for a partition value that is not
   *     of its column's type
   */
  public RowIterator read(AddFile file, List<String> columns, Predicate filter) {
    Objects.requireNonNull(file, "file");
    int[] projection = columns.stream().mapToInt(layout::requireIndex).toArray();
    Object[] partitionValues = partitionValues(file);
    DataSkipping skipping = filter == null ? null
        : new DataSkipping(layout, filter, partitionValues);
    if (skipping != null && !skipping.mightMatchFile()) {
      LOG.debug("skipped by partition values file={} filter={}", file.path(), filter);
      return RowIterator.empty();
    }
    DeletionVector deleted = deletionVector(file);
    String path = StoragePaths.resolveInTable(tableRoot, file.path());
    // A read of some of the data columns reads a file whole only up to the storage's limit
    // (a local disk's is small, an object store's large), else the footer and their chunks.
    ParquetFileReader reader = open(path, file, readsEveryDataColumn(projection) ? wholeFileLimit
        : Math.min(wholeFileLimit, storage.wholeReadLimit(path)));
    try {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      FileColumns fileColumns = new FileColumns(layout.columnMappingMode(), path);
      FileProjection read = project(projection, fileSchema, fileColumns);
      if (skipping != null) {
        skipping.bindFile(fileSchema, fileColumns);
      }
      RowMaterializer materializer = null;
      ParquetRowIterator.Flat flat = null;
      if (read.requested != null) {
        reader.setRequestedSchema(read.requested);
        if (FlatRowGroupReader.isFlat(read.requested, read.fileColumns)) {
          RowFilter rows = filter == null ? null
              : RowFilter.of(filter, layout, index -> read.slots[index], partitionValues);
          flat = new ParquetRowIterator.Flat(read.requested,
              reader.getFooter().getFileMetaData().getCreatedBy(),
              FlatRowGroupReader.decoders(read.requested, read.fileColumns, fileColumns), rows);
        } else {
          materializer = new RowMaterializer(read.fileColumns, read.requested, fileColumns);
        }
      }
      RowAssembler assembler = new RowAssembler(projection, read.slots, partitionValues);
      return new ParquetRowIterator(path, reader, fileSchema, read.requested, materializer,
          assembler, deleted, skipping, flat);
    } catch (RuntimeException e) {
      throw closedAfter(reader, path, e);
    }
  }

  /**
   * Opens {@code file} for reading the given top-level primitive or decimal columns page by page
   * (see {@link Aggregator}): the requested Parquet schema is set on the returned file's reader,
   * which reads only the footer and those columns' chunks from storage.
   *
   * @throws DeltaException as {@link #read(AddFile, List, Predicate)} does
   */
  FlatFile openFlat(AddFile file, List<String> columns) {
    Objects.requireNonNull(file, "file");
    int[] projection = columns.stream().mapToInt(layout::requireIndex).toArray();
    Object[] partitionValues = partitionValues(file);
    DeletionVector deleted = deletionVector(file);
    String path = StoragePaths.resolveInTable(tableRoot, file.path());
    // Ranged reads: the footer, then only the chunks of the columns read.
    ParquetFileReader reader = open(path, file, 0);
    try {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      FileColumns fileColumns = new FileColumns(layout.columnMappingMode(), path);
      FileProjection read = project(projection, fileSchema, fileColumns);
      ValueDecoder[] decoders = new ValueDecoder[0];
      if (read.requested != null) {
        if (!FlatRowGroupReader.isFlat(read.requested, read.fileColumns)) {
          throw new IllegalArgumentException("columns " + columns + " are not all flat in " + path);
        }
        reader.setRequestedSchema(read.requested);
        decoders = FlatRowGroupReader.decoders(read.requested, read.fileColumns, fileColumns);
      }
      return new FlatFile(path, reader, read.requested, decoders, read.slots, partitionValues, deleted);
    } catch (RuntimeException e) {
      throw closedAfter(reader, path, e);
    }
  }

  /**
   * A data file opened for a flat read ({@link #openFlat}).
   *
   * @param requested the pruned file schema, null when no column read comes from the file
   * @param decoders the decoders of {@code requested}'s columns, in order
   * @param slots for each schema index, its position in {@code requested}, or -1
   * @param partitionValues the file's partition values by schema index (others null)
   * @param deleted the rows of the file's deletion vector
   */
  record FlatFile(String path, ParquetFileReader reader, MessageType requested, ValueDecoder[] decoders,
      int[] slots, Object[] partitionValues, DeletionVector deleted) {}

  private DeletionVector deletionVector(AddFile file) {
    return file.deletionVector()
        .map(dv -> deletionVectors.load(dv, file.path()))
        .orElse(DeletionVector.EMPTY);
  }

  /** Whether a projection (schema indexes) reads every column stored in the data files. */
  private boolean readsEveryDataColumn(int[] projection) {
    boolean[] read = new boolean[layout.schema().fields().size()];
    for (int index : projection) {
      read[index] = true;
    }
    for (int index = 0; index < read.length; index++) {
      if (!read[index] && !layout.isPartitionColumn(index)) {
        return false;
      }
    }
    return true;
  }

  /** Opens a file, with one storage read if it has at most {@code wholeFileLimit} bytes. */
  private ParquetFileReader open(String path, AddFile file, long wholeFileLimit) {
    long size = file.size();
    org.apache.parquet.io.InputFile input;
    if (size > 0 && size <= wholeFileLimit) {
      byte[] data = storage.readRange(path, 0, (int) size);
      if (data.length != size) {
        throw DataErrors.corruptDataFile(path, "it has " + data.length + " bytes, but the log"
            + " says " + size, null);
      }
      input = new InMemoryInputFile(path, data);
    } else {
      input = size > 0 ? new StorageInputFile(storage, path, size)
          : StorageInputFile.open(storage, path);
    }
    try {
      PlainParquetConfiguration configuration = new PlainParquetConfiguration();
      ParquetReadOptions options = new ParquetReadOptions.Builder(configuration)
          .withCodecFactory(new PageDecompression(configuration))
          .build();
      Optional<ParquetMetadata> footer = size > 0 ? footers.get(path, size, file.modificationTime()) : Optional.empty();
      if (footer.isPresent()) {
        return ParquetFileReader.open(input, footer.get(), options, input.newStream());
      }
      ParquetFileReader reader = ParquetFileReader.open(input, options);
      if (size > 0) {
        footers.put(path, size, file.modificationTime(), reader.getFooter());
      }
      return reader;
    } catch (DeltaException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      if (e.getCause() instanceof DeltaException cause) {
        throw cause;
      }
      if (storage.status(path).isEmpty()) {
        throw new DeltaException(SqlState.IO_ERROR, "Data file '" + path
            + "' of table " + layout.table() + " does not exist", e);
      }
      throw DataErrors.corruptDataFile(path, e.getMessage(), e);
    }
  }

  /** The columns of a read that come from the file, and the requested Parquet schema. */
  private static final class FileProjection {
    /** The table columns read from the file, in the order of {@link #requested}. */
    StructType fileColumns;
    /** The pruned file schema; null when no column comes from the file. */
    MessageType requested;
    /** For each schema index, its position in {@link #fileColumns}, or -1. */
    int[] slots;
  }

  private FileProjection project(int[] projection, MessageType fileSchema, FileColumns fileColumns) {
    FileProjection result = new FileProjection();
    result.slots = new int[layout.schema().fields().size()];
    Arrays.fill(result.slots, -1);
    List<StructField> fields = new ArrayList<>();
    List<Type> types = new ArrayList<>();
    for (int index : IntStream.of(projection).distinct().toArray()) {
      if (layout.isPartitionColumn(index)) {
        continue;
      }
      StructField field = layout.schema().fields().get(index);
      int fileIndex = fileColumns.find(fileSchema, field);
      if (fileIndex < 0) {
        continue;
      }
      result.slots[index] = fields.size();
      fields.add(field);
      types.add(fileColumns.prune(field.type(), fileSchema.getType(fileIndex), field.name()));
    }
    result.fileColumns = new StructType(fields);
    result.requested = types.isEmpty() ? null : new MessageType(fileSchema.getName(), types);
    return result;
  }

  /** The file's partition values by schema index (null for other columns). */
  private Object[] partitionValues(AddFile file) {
    Object[] values = new Object[layout.schema().fields().size()];
    Map<String, String> stored = file.partitionValues();
    for (StructField field : layout.partitionColumns()) {
      int index = layout.requireIndex(field.name());
      String text = lookup(stored, layout.storedName(field), field.name());
      try {
        values[index] = PartitionValues.parse(field.type(), text);
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw DataErrors.badPartitionValue(field.name(), field.type(), text, file.path(), e);
      }
    }
    return values;
  }

  private static String lookup(Map<String, String> values, String storedName, String name) {
    if (values.containsKey(storedName)) {
      return values.get(storedName);
    }
    if (values.containsKey(name)) {
      return values.get(name);
    }
    for (Map.Entry<String, String> entry : values.entrySet()) {
      if (entry.getKey().toLowerCase(Locale.ROOT).equals(storedName.toLowerCase(Locale.ROOT))) {
        return entry.getValue();
      }
    }
    return null;
  }

  /** Closes the file after {@code failure}; returns it as a corrupt file unless it is a DeltaException. */
  private static DeltaException closedAfter(ParquetFileReader reader, String path, RuntimeException failure) {
    closeAfterFailure(reader, failure);
    return failure instanceof DeltaException delta ? delta : DataErrors.corruptDataFile(path, failure.toString(), failure);
  }

  private static void closeAfterFailure(ParquetFileReader reader, Exception failure) {
    try {
      reader.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
