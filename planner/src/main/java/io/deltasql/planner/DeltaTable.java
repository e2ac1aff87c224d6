package io.deltasql.planner;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.cache.TableMetadata;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.data.Aggregation;
import io.deltasql.core.data.Aggregator;
import io.deltasql.core.data.DataFileReader;
import io.deltasql.core.data.FileSkipping;
import io.deltasql.core.data.Predicate;
import io.deltasql.core.data.RowIterator;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ProjectableFilterableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A Delta table as a Calcite table. Scans read the snapshot the statement's transaction sees
 * (its consistent cut, with its own staged writes) and push projections and filters down: only
 * the projected columns are decoded, and the filters skip files by partition values and row
 * groups by their statistics (Calcite still applies the filters to the rows returned).
 *
 * <p>The <em>row-tagged</em> variant, reachable only under the hidden name
 * {@code $rows$<table>}, adds two columns: the data file of each row and the row's position in
 * it. {@code DELETE} and {@code UPDATE} find their rows through it (see {@link DeltaDml}).
 */
public final class DeltaTable extends AbstractTable implements ProjectableFilterableTable {
  /** The hidden name prefix of a table's row-tagged variant. */
  public static final String TAGGED_PREFIX = "$rows$";
  static final String FILE_COLUMN = "$file";
  static final String ROW_COLUMN = "$row";

  private final DeltaSession session;
  private final TableInfo info;
  /** The columns, read on first use ({@link #schema()}). */
  private final java.util.function.Supplier<StructType> columns;
  private volatile StructType schema;
  private final boolean tagged;
  /** The version time travel pinned, or -1 for the version the statement's transaction reads. */
  private final long version;

  private DeltaTable(DeltaSession session, TableInfo info, java.util.function.Supplier<StructType> columns,
      boolean tagged, long version) {
    this.session = session;
    this.info = info;
    this.columns = columns;
    this.tagged = tagged;
    this.version = version;
  }

  /** The table with its latest columns. */
  static DeltaTable of(DeltaSession session, TableInfo info) {
    StructType latest = latestSchema(session, info);
    return new DeltaTable(session, info, () -> latest, false, -1);
  }

  /** The row-tagged variant of the table. */
  static DeltaTable tagged(DeltaSession session, TableInfo info) {
    StructType latest = latestSchema(session, info);
    return new DeltaTable(session, info, () -> latest, true, -1);
  }

  /**
   * The table as it was at {@code version} (time travel), with that version's columns, read when
   * first needed: a session's schema() lists the hidden name of every version it travelled to, and
   * Calcite's case-insensitive name lookup instantiates every table a schema() lists, so reading
   * each version here made every statement read all earlier ones (docs/benchmarks.md, session 7).
   */
  static DeltaTable at(DeltaSession session, TableInfo info, long version) {
    return new DeltaTable(session, info, () -> session.runtime().writer().cache().schemaOf(
        session.runtime().writer().cache().at(info.tableId(), version).metadata()), false, version);
  }

  private static StructType latestSchema(DeltaSession session, TableInfo info) {
    if (!info.hasVersions()) {
      throw new DeltaException(SqlState.UNDEFINED_TABLE, "Table " + info.qualifiedName() + " has no committed version");
    }
    TableMetadata metadata = session.runtime().writer().cache().metadata(info.tableId());
    return metadata.schema();
  }

  public TableInfo info() {
    return info;
  }

  /** The columns as of the lookup (the statement's plan). */
  public StructType schema() {
    StructType s = schema;
    if (s == null) {
      s = columns.get();
      schema = s;
    }
    return s;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataType row = DeltaTypes.rowType(schema(), typeFactory);
    if (!tagged) {
      return row;
    }
    RelDataTypeFactory.Builder builder = typeFactory.builder().addAll(row.getFieldList());
    builder.add(FILE_COLUMN, SqlTypeName.VARCHAR).nullable(false);
    builder.add(ROW_COLUMN, SqlTypeName.BIGINT).nullable(false);
    return builder.build();
  }

  /** Whether this is the row-tagged variant (see {@link DeltaTable}). */
  boolean isTagged() {
    return tagged;
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root, List<RexNode> filters, int[] projects) {
    Snapshot snapshot = snapshot(root);
    if (tagged) {
      DmlContext.of(root).ifPresent(dml -> dml.scanned(info.tableId(), snapshot));
    }
    int width = schema().fields().size() + (tagged ? 2 : 0);
    int[] columns = projects != null ? projects : identity(width);
    List<String> names = new ArrayList<>();
    List<DataType> types = new ArrayList<>();
    for (int column : columns) {
      if (column < schema().fields().size()) {
        StructField field = schema().fields().get(column);
        names.add(field.name());
        types.add(field.type());
      }
    }
    if (names.isEmpty() && !schema().fields().isEmpty()) {
      // Nothing but the tags is wanted: read the first column all the same, for the row count.
      names.add(schema().fields().get(0).name());
    }
    Predicate filter = tagged ? null : FilterTranslator.translate(filters, schema(), new RexBuilder(root.getTypeFactory()));
    DataFileReader reader = DataFileReader.of(session.runtime().storage(), info.location(), snapshot.metadata(),
        session.runtime().footers());
    List<AddFile> files = new ArrayList<>(snapshot.activeFiles());
    int total = files.size();
    if (filter != null) {
      FileSkipping skipping = new FileSkipping(reader.layout(), filter);
      files.removeIf(file -> !skipping.mightMatch(file));
    }
    files.sort(Comparator.comparing(AddFile::path));
    session.runtime().scanned(total, total - files.size());
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return new ScanEnumerator(reader, snapshot.version(), files.iterator(), names, types, columns, filter);
      }
    };
  }

  /**
   * The rows of {@code aggregation} over every row the statement sees, computed from the files'
   * pages by an {@link Aggregator} when enumerated (files in path order, as {@link #scan} reads
   * them), each value as Calcite represents the column's type.
   */
  public Enumerable<Object[]> aggregate(DataContext root, Aggregation aggregation) {
    Snapshot snapshot = snapshot(root);
    DataFileReader reader = DataFileReader.of(session.runtime().storage(), info.location(), snapshot.metadata(),
        session.runtime().footers());
    List<AddFile> files = new ArrayList<>(snapshot.activeFiles());
    files.sort(Comparator.comparing(AddFile::path));
    session.runtime().scanned(files.size(), 0);
    List<DataType> types = new ArrayList<>();
    aggregation.groupBy().forEach(column -> types.add(schema().fields().get(reader.layout().requireIndex(column)).type()));
    for (Aggregation.Call call : aggregation.calls()) {
      boolean extreme = call.function() == Aggregation.Function.MIN || call.function() == Aggregation.Function.MAX;
      types.add(extreme ? schema().fields().get(reader.layout().requireIndex(call.column().get())).type() : null);
    }
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        Aggregator aggregator = new Aggregator(reader, aggregation);
        for (AddFile file : files) {
          try {
            aggregator.add(file);
          } catch (DeltaException e) {
            throw withMissingFile(e, snapshot.version(), file);
          }
        }
        List<Object[]> rows = aggregator.rows();
        for (Object[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            if (types.get(i) != null) {
              row[i] = SqlValues.toSql(types.get(i), row[i]);
            }
          }
        }
        return Linq4j.enumerator(rows);
      }
    };
  }

  /** The snapshot the statement reads: the pinned version, or its transaction's. */
  private Snapshot snapshot(DataContext root) {
    Snapshot snapshot;
    if (version >= 0) {
      snapshot = session.writer().cache().at(info.tableId(), version);
    } else {
      MultiTableTransaction tx = session.transactionFor(root);
      snapshot = session.writer().snapshotFor(tx, info.tableId()).snapshot();
    }
    requireSameColumns(snapshot);
    return snapshot;
  }

  /**
   * {@code failure} reading {@code file} of {@code version}; if the file is gone, an error naming
   * the version that needs it, and VACUUM.
   */
  private DeltaException withMissingFile(DeltaException failure, long version, AddFile file) {
    String path = StoragePaths.resolveInTable(info.location(), file.path());
    if (failure.state() != SqlState.IO_ERROR || session.runtime().storage().status(path).isPresent()) {
      return failure;
    }
    return new DeltaException(SqlState.IO_ERROR, "Cannot read version " + version + " of table "
        + info.qualifiedName() + ": its data file '" + path + "' no longer exists. VACUUM deletes the files"
        + " of versions older than its retention; read a later version", failure);
  }

  private void requireSameColumns(Snapshot snapshot) {
    StructType now = session.runtime().writer().cache().schemaOf(snapshot.metadata());
    if (!now.equals(schema())) {
      throw new DeltaException(SqlState.SERIALIZATION_FAILURE, "The columns of table " + info.qualifiedName()
          + " changed while the statement was prepared (version " + snapshot.version() + "); run it again");
    }
  }

  private static int[] identity(int n) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return all;
  }

  /** Rows of the files in turn, converted to Calcite's values, with the tag columns if asked. */
  private final class ScanEnumerator implements Enumerator<Object[]> {
    private final DataFileReader reader;
    private final long version;
    private final Iterator<AddFile> files;
    private final List<String> names;
    private final List<DataType> types;
    private final int[] columns;
    private final Predicate filter;
    /** Whether the rows read are handed on as they are, after converting some values in place. */
    private final boolean inPlace;
    /** For each column read, whether its values need {@link SqlValues#toSql}. */
    private final boolean[] converted;
    private RowIterator rows = RowIterator.empty();
    private String file;
    private long position;
    private Object[] current;

    ScanEnumerator(DataFileReader reader, long version, Iterator<AddFile> files, List<String> names,
        List<DataType> types, int[] columns, Predicate filter) {
      this.reader = reader;
      this.version = version;
      this.files = files;
      this.names = names;
      this.types = types;
      this.columns = columns;
      this.filter = filter;
      this.inPlace = names.size() == columns.length && IntStream.of(columns).allMatch(c -> c < schema().fields().size());
      this.converted = new boolean[types.size()];
      for (int i = 0; i < types.size(); i++) {
        converted[i] = !SqlValues.isSame(types.get(i));
      }
    }

    @Override
    public Object[] current() {
      return current;
    }

    @Override
    public boolean moveNext() {
      while (!rows.hasNext()) {
        rows.close();
        if (!files.hasNext()) {
          return false;
        }
        AddFile next = files.next();
        file = next.path();
        position = 0;
        rows = read(next);
      }
      Object[] values = rows.next();
      position++;
      if (inPlace) {
        // The reader's row is this scan's own: convert it where Calcite's values differ.
        for (int i = 0; i < values.length; i++) {
          if (converted[i]) {
            values[i] = SqlValues.toSql(types.get(i), values[i]);
          }
        }
        current = values;
        return true;
      }
      Object[] out = new Object[columns.length];
      int read = 0;
      for (int i = 0; i < columns.length; i++) {
        int column = columns[i];
        if (column < schema().fields().size()) {
          out[i] = SqlValues.toSql(types.get(read), values[read]);
          read++;
        } else if (column == schema().fields().size()) {
          out[i] = file;
        } else {
          out[i] = position - 1;
        }
      }
      current = out;
      return true;
    }

    /** The rows of a file (see {@link #withMissingFile} for a file that is gone). */
    private RowIterator read(AddFile next) {
      try {
        return reader.read(next, names, filter);
      } catch (DeltaException e) {
        throw withMissingFile(e, version, next);
      }
    }

    @Override
    public void reset() {
      throw new UnsupportedOperationException("reset of a Delta table scan");
    }

    @Override
    public void close() {
      rows.close();
    }
  }
}
