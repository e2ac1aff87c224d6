package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.delta.standalone.data.CloseableIterator;
import io.delta.standalone.data.RowRecord;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.json.SchemaJson;
import io.deltasql.core.log.DeltaLog;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import io.deltasql.tck.TckReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Date;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;

/**
 * The two independent Delta readers deltasql's tables are compared with: Delta Kernel Java
 * ({@link KernelScan}) and delta-standalone. Each reads a table's {@code _delta_log} at a version
 * or at a timestamp into a {@link Reading}: its schema, its active data files and its rows, in
 * core's Java value mapping (the one {@link JdbcRows} gives deltasql's {@code SELECT}).
 */
final class IndependentReaders {
  private IndependentReaders() {}

  /** Kernel, then delta-standalone. */
  static final List<Reader> ALL = List.of(new Kernel(), new Standalone());

  /** One independent reader of a table's {@code _delta_log}. */
  interface Reader {
    /** {@code kernel} or {@code standalone}, as {@code TckReport} records it. */
    String name();

    /** The table at {@code version}. */
    Reading atVersion(String root, long version);

    /** The table at the latest commit at or before {@code timestamp}. */
    Reading atTimestamp(String root, Instant timestamp);

    /**
     * Why this reader cannot read a table with this protocol and schema (its reads then throw),
     * or empty if it can.
     */
    Optional<String> cannotRead(Protocol protocol, StructType schema);
  }

  /**
   * What a reader read: the version it resolved, the schema (as core parses the reader's own
   * schema JSON), the absolute paths of the active data files and the rows. The values of the
   * top-level columns in {@code unread} are left out (null): the reader cannot decode them.
   */
  record Reading(long version, StructType schema, Set<String> files, List<Object[]> rows, Set<String> unread) {
    Reading(long version, StructType schema, Set<String> files, List<Object[]> rows) {
      this(version, schema, files, rows, Set.of());
    }

    /** The schema's names, types and nullability (field metadata left out), nested fields included. */
    String shape() {
      return IndependentReaders.shape(schema);
    }
  }

  /**
   * deltasql's own reading of {@code table} (located at {@code root}) at {@code version}: the
   * schema and active files of its log, the rows of {@code SELECT * FROM table VERSION AS OF v}.
   */
  static Reading deltasql(Connection connection, String table, String root, long version) throws SQLException {
    var snapshot = DeltaLog.open(LocalStorage.INSTANCE, root).snapshotAt(version);
    StructType schema = TableLayout.of(snapshot.metadata(), root).schema();
    Set<String> files = new TreeSet<>();
    snapshot.activeFiles().forEach(f -> files.add(absolute(root, f.path())));
    return new Reading(version, schema, files,
        JdbcRows.selectAll(connection, table + " version as of " + version, schema));
  }

  /** The protocol of deltasql's log of the table at {@code root} at {@code version}. */
  static Protocol protocol(String root, long version) {
    return DeltaLog.open(LocalStorage.INSTANCE, root).snapshotAt(version).protocol();
  }

  /**
   * {@code reader} at one version of a table: if it cannot read the table (its
   * {@link Reader#cannotRead}), {@code read} must fail and the reason is returned; otherwise
   * what it reads must agree with {@code deltasql} ({@link #assertAgree}) and the result is empty.
   */
  static Optional<String> assertAgreeOrCannotRead(Reader reader, Protocol protocol, Reading deltasql,
      Supplier<Reading> read, String what) {
    Optional<String> cannot = reader.cannotRead(protocol, deltasql.schema());
    if (cannot.isPresent()) {
      assertThrows(Exception.class, read::get, reader.name() + " cannot read " + what + ": " + cannot.get());
      return cannot;
    }
    assertAgree(deltasql, read.get(), reader.name() + " " + what);
    return Optional.empty();
  }

  /**
   * Runs all the checks of one table with {@code reader} and records the verdict with
   * {@link TckReport#tableVerified}: agreed when they pass, disagreed (and rethrown) when they
   * fail. Nothing is recorded when {@code checks} returns that the reader cannot read the table.
   */
  static void verifyTable(Reader reader, String table, Callable<Optional<String>> checks) throws Exception {
    Optional<String> cannot;
    try {
      cannot = checks.call();
    } catch (Exception | AssertionError e) {
      TckReport.tableVerified(reader.name(), table, false);
      throw e;
    }
    if (cannot.isEmpty()) {
      TckReport.tableVerified(reader.name(), table, true);
    }
  }

  /**
   * {@code reader} read what deltasql reads: the same version, schema shape, active files and
   * rows (a multiset, timestamps cut to SQL's milliseconds; the reader's unread columns left out
   * on both sides).
   */
  static void assertAgree(Reading deltasql, Reading reader, String what) {
    assertEquals(deltasql.version(), reader.version(), "version of " + what);
    assertEquals(deltasql.shape(), reader.shape(), "schema of " + what);
    assertEquals(deltasql.files(), reader.files(), "active files of " + what);
    List<Integer> unread = new ArrayList<>();
    for (int i = 0; i < deltasql.schema().fields().size(); i++) {
      if (reader.unread().contains(deltasql.schema().fields().get(i).name())) {
        unread.add(i);
      }
    }
    assertEquals(Rows.render(Rows.multiset(without(unread, deltasql.rows()))),
        Rows.render(Rows.multiset(without(unread, JdbcRows.millis(reader.rows())))), "rows of " + what
        + (unread.isEmpty() ? "" : " (columns " + reader.unread() + " left out)"));
  }

  private static List<Object[]> without(List<Integer> columns, List<Object[]> rows) {
    return rows.stream().map(r -> {
      Object[] copy = r.clone();
      columns.forEach(i -> copy[i] = null);
      return copy;
    }).toList();
  }

  private static boolean holds(DataType type, PrimitiveType primitive) {
    if (type instanceof StructType struct) {
      return struct.fields().stream().anyMatch(f -> holds(f.type(), primitive));
    }
    if (type instanceof ArrayType array) {
      return holds(array.elementType(), primitive);
    }
    if (type instanceof MapType map) {
      return holds(map.keyType(), primitive) || holds(map.valueType(), primitive);
    }
    return type == primitive;
  }

  /** Names, types and nullability of a schema, nested fields included; field metadata left out. */
  static String shape(DataType type) {
    if (type instanceof StructType struct) {
      return struct.fields().stream()
          .map(f -> f.name() + ": " + shape(f.type()) + (f.nullable() ? "" : " not null"))
          .collect(Collectors.joining(", ", "struct<", ">"));
    }
    if (type instanceof ArrayType array) {
      return "array<" + shape(array.elementType()) + (array.containsNull() ? "" : " not null") + ">";
    }
    if (type instanceof MapType map) {
      return "map<" + shape(map.keyType()) + ", " + shape(map.valueType())
          + (map.valueContainsNull() ? "" : " not null") + ">";
    }
    return type.typeName();
  }

  /** A data file's path in the log (a URI, usually relative to the table) as an absolute local path. */
  private static String absolute(String root, String path) {
    URI uri = URI.create(path);
    return uri.isAbsolute() ? Path.of(uri).toString() : Path.of(root).resolve(uri.getPath()).toString();
  }

  /** Delta Kernel Java 4.0.0 with its default engine over our storage. */
  private static final class Kernel implements Reader {
    @Override
    public String name() {
      return "kernel";
    }

    @Override
    public Reading atVersion(String root, long version) {
      return read(root, KernelScan.snapshotAsOf(root, version));
    }

    @Override
    public Reading atTimestamp(String root, Instant timestamp) {
      return read(root, KernelScan.snapshotAsOfTimestamp(root, timestamp.toEpochMilli()));
    }

    @Override
    public Optional<String> cannotRead(Protocol protocol, StructType schema) {
      return holds(schema, PrimitiveType.VARIANT) ? Optional.of("variant columns (Kernel 4.0.0's default engine)")
          : Optional.empty();
    }

    private static Reading read(String root, io.delta.kernel.Snapshot snapshot) {
      StructType schema = SchemaJson.parse(snapshot.getSchema().toJson());
      Set<String> files = new TreeSet<>();
      // Kernel gives absolute paths, with or without file:, already decoded (a folder named
      // "a%21" on disk reads "a%21"): not URIs to decode again.
      KernelScan.files(snapshot).forEach(f -> files.add(Path.of(f.startsWith("file:") ? f.substring(5) : f)
          .normalize().toString()));
      return new Reading(snapshot.getVersion(), schema, files, KernelScan.rows(snapshot, schema, null));
    }
  }

  /**
   * delta-standalone 3.3.2: its own log replay (Scala), and Parquet through parquet4s. It reads
   * tables of reader version 1 only (no deletion vectors, column mapping or reader features),
   * has no {@code timestamp_ntz} or {@code variant} type, and decodes {@code timestamp} values
   * only from Parquet INT96, not from the INT64 microseconds Delta's protocol asks for and
   * deltasql and Kernel write (delta-io/delta#1685, {@code scala.MatchError: LongValue}): it
   * reads top-level {@code timestamp} columns as unread, and cannot read tables with nested ones.
   * It decodes a NULL primitive value inside a map as a required value and fails.
   */
  private static final class Standalone implements Reader {
    @Override
    public String name() {
      return "standalone";
    }

    @Override
    public Reading atVersion(String root, long version) {
      return read(root, log(root).getSnapshotForVersionAsOf(version));
    }

    @Override
    public Reading atTimestamp(String root, Instant timestamp) {
      return read(root, log(root).getSnapshotForTimestampAsOf(timestamp.toEpochMilli()));
    }

    @Override
    public Optional<String> cannotRead(Protocol protocol, StructType schema) {
      if (protocol.minReaderVersion() > 1) {
        return Optional.of("reader version " + protocol.minReaderVersion() + " " + protocol.readerFeatures());
      }
      for (PrimitiveType type : List.of(PrimitiveType.TIMESTAMP_NTZ, PrimitiveType.VARIANT)) {
        if (holds(schema, type)) {
          return Optional.of("no " + type.typeName() + " type");
        }
      }
      return schema.fields().stream().anyMatch(f -> !(f.type() instanceof PrimitiveType) && holds(f.type(),
          PrimitiveType.TIMESTAMP)) ? Optional.of("nested INT64 timestamps (delta-io/delta#1685)") : Optional.empty();
    }

    /** One Hadoop configuration (loading one reads Hadoop's default XML resources). */
    private static final Configuration HADOOP = new Configuration();

    private static io.delta.standalone.DeltaLog log(String root) {
      return io.delta.standalone.DeltaLog.forTable(HADOOP, root);
    }

    private static Reading read(String root, io.delta.standalone.Snapshot snapshot) {
      StructType schema = SchemaJson.parse(snapshot.getMetadata().getSchema().toJson());
      Set<String> files = new TreeSet<>();
      snapshot.getAllFiles().forEach(f -> files.add(absolute(root, f.getPath())));
      Set<String> unread = schema.fields().stream().filter(f -> f.type() == PrimitiveType.TIMESTAMP)
          .map(StructField::name).collect(Collectors.toSet());
      List<Object[]> rows = new ArrayList<>();
      try (CloseableIterator<RowRecord> records = snapshot.open()) {
        while (records.hasNext()) {
          rows.add(row(schema, records.next()));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new Reading(snapshot.getVersion(), schema, files, rows, unread);
    }

    private static Object[] row(StructType type, RowRecord record) {
      Object[] values = new Object[type.fields().size()];
      for (int i = 0; i < values.length; i++) {
        StructField field = type.fields().get(i);
        values[i] = record.isNullAt(field.name()) ? null : value(field.type(), record, field.name());
      }
      return values;
    }

    private static Object value(DataType type, RowRecord record, String name) {
      if (type instanceof StructType struct) {
        return row(struct, record.getRecord(name));
      }
      if (type instanceof ArrayType || type instanceof MapType) {
        return element(type, type instanceof ArrayType ? record.getList(name) : record.getMap(name));
      }
      if (type instanceof DecimalType decimal) {
        return decimal(decimal, record.getBigDecimal(name));
      }
      return switch ((PrimitiveType) type) {
        case LONG -> record.getLong(name);
        case INTEGER -> record.getInt(name);
        case SHORT -> record.getShort(name);
        case BYTE -> record.getByte(name);
        case FLOAT -> record.getFloat(name);
        case DOUBLE -> record.getDouble(name);
        case BOOLEAN -> record.getBoolean(name);
        case STRING -> record.getString(name);
        case BINARY -> record.getBinary(name);
        case DATE -> record.getDate(name).toLocalDate();
        case TIMESTAMP -> null; // unread: see the class comment
        case TIMESTAMP_NTZ, VARIANT -> throw new UnsupportedOperationException(
            "delta-standalone has no " + type.typeName() + " type");
      };
    }

    /**
     * A decimal at its column's scale. parquet4s gives a decimal stored as bytes at scale 18 (the
     * value is right: rescaled exactly here), and one stored as INT32 or INT64 (precision up to
     * 18, as deltasql, Kernel and Spark write them) as its unscaled integer at scale 0
     * (delta-io/delta#3152): the column's scale is applied to it.
     */
    private static BigDecimal decimal(DecimalType type, BigDecimal v) {
      return type.precision() <= 18 && v.scale() == 0 ? new BigDecimal(v.unscaledValue(), type.scale())
          : v.setScale(type.scale(), RoundingMode.UNNECESSARY);
    }

    /** An element of an array or map, as standalone gives it: a Java object or a nested record. */
    private static Object element(DataType type, Object v) {
      if (v == null) {
        return null;
      }
      if (type instanceof StructType struct) {
        return row(struct, (RowRecord) v);
      }
      if (type instanceof ArrayType array) {
        List<Object> out = new ArrayList<>();
        ((List<?>) v).forEach(e -> out.add(element(array.elementType(), e)));
        return Collections.unmodifiableList(out);
      }
      if (type instanceof MapType map) {
        Map<Object, Object> out = new LinkedHashMap<>();
        ((Map<?, ?>) v).forEach((k, e) -> out.put(element(map.keyType(), k), element(map.valueType(), e)));
        return out;
      }
      if (type instanceof DecimalType decimal) {
        return decimal(decimal, (BigDecimal) v);
      }
      if (type == PrimitiveType.DATE) {
        return ((Date) v).toLocalDate();
      }
      return v;
    }
  }
}
