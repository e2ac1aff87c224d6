package io.deltasql.planner;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.deltasql.core.actions.Format;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.data.DataFileWriter;
import io.deltasql.core.data.WriteOptions;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.imports.TableImporter;
import io.deltasql.core.json.SchemaJson;
import io.deltasql.core.storage.FileStatus;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.storage.s3.S3Location;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.txn.MultiTableWriter;
import io.deltasql.core.txn.NewTable;
import io.deltasql.core.txn.TableActionsBuilder;
import io.deltasql.core.txn.TransactionSnapshot;
import io.deltasql.core.txn.WriterFeatureSupport;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import io.deltasql.parser.node.SqlAlterTableAddColumns;
import io.deltasql.parser.node.SqlBeginTransaction;
import io.deltasql.parser.node.SqlCheckpoint;
import io.deltasql.parser.node.SqlColumnDef;
import io.deltasql.parser.node.SqlCommit;
import io.deltasql.parser.node.SqlCreateSchema;
import io.deltasql.parser.node.SqlCreateTable;
import io.deltasql.parser.node.SqlDropSchema;
import io.deltasql.parser.node.SqlDropTable;
import io.deltasql.parser.node.SqlRollback;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.jdbc.ContextSqlValidator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.server.DdlExecutorImpl;
import org.apache.calcite.sql.SqlAlienSystemTypeNameSpec;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.validate.SqlValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deltasql's DDL and transaction statements, one method per statement (Calcite's
 * {@link DdlExecutorImpl} dispatches on the node's class).
 *
 * <p>DDL runs in a transaction of its own and is refused inside an explicit transaction
 * ({@code 25001}): a table created inside a transaction could not be seen by the transaction's
 * next statements until commit. {@code CREATE TABLE AS} writes the query's rows and creates the
 * table in one commit: version 0 holds the metadata and the data.
 */
public final class DeltaDdlExecutor extends DdlExecutorImpl {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaDdlExecutor.class);
  static final DeltaDdlExecutor INSTANCE = new DeltaDdlExecutor();
  /** How long DROP TABLE waits for the mirror to finish writing a managed table's log. */
  private static final java.time.Duration MIRROR_BEFORE_DROP = java.time.Duration.ofSeconds(30);

  /** Table property marking a table whose folder deltasql chose (dropped with the table). */
  static final String MANAGED = "deltasql.managed";

  private DeltaDdlExecutor() {}

  // ---- transactions -----------------------------------------------------------------------

  /** {@code BEGIN [MULTI] [ISOLATION LEVEL ...] [PRIORITY n]}. */
  public void execute(SqlBeginTransaction begin, CalcitePrepare.Context context) {
    DeltaSession session = Sessions.of(context.getRootSchema());
    session.begin(begin.isolationLevel().map(l -> io.deltasql.core.txn.IsolationLevel.valueOf(l.name())).orElse(null),
        begin.priority().orElse(0));
  }

  /** {@code COMMIT}: commits the open transaction, if any. */
  public void execute(SqlCommit commit, CalcitePrepare.Context context) {
    Sessions.of(context.getRootSchema()).commit();
  }

  /** {@code ROLLBACK}: rolls back the open transaction, if any. */
  public void execute(SqlRollback rollback, CalcitePrepare.Context context) {
    Sessions.of(context.getRootSchema()).rollback();
  }

  /** {@code CHECKPOINT t}: the table's log is mirrored and its latest version checkpointed. */
  public void execute(SqlCheckpoint checkpoint, CalcitePrepare.Context context) {
    DeltaSession session = Sessions.of(context.getRootSchema());
    requireNoTransaction(session, "CHECKPOINT");
    TableInfo table = session.resolveTable(checkpoint.table().names);
    session.runtime().mirror().checkpoint(table.tableId());
  }

  // ---- schemas ----------------------------------------------------------------------------

  /** {@code CREATE SCHEMA [IF NOT EXISTS] s}. */
  public void execute(SqlCreateSchema create, CalcitePrepare.Context context) {
    DeltaSession session = Sessions.of(context.getRootSchema());
    requireNoTransaction(session, "CREATE SCHEMA");
    session.requireWritable("CREATE SCHEMA");
    String name = create.name().getSimple();
    session.requireWritable("CREATE SCHEMA " + name, name, Optional.empty());
    boolean exists = session.schemaNames().stream().anyMatch(n -> n.equalsIgnoreCase(name));
    if (exists) {
      if (create.ifNotExists()) {
        return;
      }
      throw new DeltaException(SqlState.DUPLICATE_SCHEMA, "Schema '" + name + "' already exists");
    }
    session.runtime().catalog().inTransaction(tx -> {
      tx.createSchema(name);
      return null;
    });
    DeltaPrepare.attachSchemas(session, context.getRootSchema());
  }

  /** {@code DROP SCHEMA [IF EXISTS] s [CASCADE]}: CASCADE drops its tables first. */
  public void execute(SqlDropSchema drop, CalcitePrepare.Context context) {
    DeltaSession session = Sessions.of(context.getRootSchema());
    requireNoTransaction(session, "DROP SCHEMA");
    session.requireWritable("DROP SCHEMA");
    String wanted = drop.name().getSimple();
    session.requireWritable("DROP SCHEMA " + wanted, wanted, Optional.empty());
    Optional<String> name = session.schemaNames().stream().filter(n -> n.equalsIgnoreCase(wanted)).findFirst();
    if (name.isEmpty() || name.get().equals(DeltaSession.DEFAULT_SCHEMA)) {
      if (name.isEmpty() && drop.ifExists()) {
        return;
      }
      throw name.isEmpty() ? PlannerErrors.unknownSchema(wanted)
          : PlannerErrors.notSupported("The default schema cannot be dropped");
    }
    if (drop.cascade()) {
      for (TableInfo table : session.runtime().catalog().listTables(name.get())) {
        dropTable(session, table);
      }
    }
    session.runtime().catalog().inTransaction(tx -> tx.dropSchema(name.get()));
    DeltaPrepare.attachSchemas(session, context.getRootSchema());
  }

  // ---- tables -----------------------------------------------------------------------------

  /** {@code CREATE TABLE} in its three forms. */
  public void execute(SqlCreateTable create, CalcitePrepare.Context context) {
    DeltaSession session = Sessions.of(context.getRootSchema());
    requireNoTransaction(session, "CREATE TABLE");
    session.requireWritable("CREATE TABLE");
    if (create.getReplace()) {
      throw PlannerErrors.notSupported("CREATE OR REPLACE TABLE is not supported; DROP TABLE first");
    }
    List<String> names = create.name().names;
    String schema = session.resolveSchemaForCreate(names);
    String table = names.get(names.size() - 1);
    session.requireWritable("CREATE TABLE " + schema + "." + table, schema, Optional.of(table));
    Optional<TableInfo> existing = session.findTable(List.of(schema, table));
    if (existing.isPresent()) {
      if (create.ifNotExists()) {
        return;
      }
      throw PlannerErrors.tableExists(existing.get().qualifiedName());
    }
    switch (create.mode()) {
      case IMPORT -> importTable(session, create, schema, table);
      case COLUMNS -> createTable(session, context, create, schema, table, columns(context, create), null);
      case AS_QUERY -> createTableAs(session, context, create, schema, table);
    }
  }

  private void importTable(DeltaSession session, SqlCreateTable create, String schema, String table) {
    String location = session.checkLocation(create.location().orElseThrow());
    if (!create.partitionedBy().isEmpty() || !create.properties().isEmpty()) {
      throw PlannerErrors.notSupported("CREATE TABLE ... LOCATION imports an existing Delta table with its own"
          + " partitioning and properties; PARTITIONED BY and TBLPROPERTIES cannot be given");
    }
    if (session.runtime().storage().status(StoragePaths.logDir(location)).isEmpty()
        && session.runtime().storage().list(StoragePaths.logDir(location)).isEmpty()) {
      throw new DeltaException(SqlState.UNDEFINED_TABLE, "LOCATION '" + location
          + "' holds no Delta table (no _delta_log); give columns to create a new table there");
    }
    new TableImporter(session.runtime().catalog(), session.runtime().storage()).importTable(schema, table, location);
    session.writer().cache().invalidateAll();
  }

  private void createTableAs(DeltaSession session, CalcitePrepare.Context context, SqlCreateTable create,
      String schema, String table) {
    SqlNode query = create.query().orElseThrow();
    String sql = query.toSqlString(c -> c.withDialect(CalciteSqlDialect.DEFAULT).withQuoteAllIdentifiers(true))
        .getSql();
    // Prepared as the connection prepares any query: its default schema, its time travel, its types.
    CalcitePrepare.CalciteSignature<Object> signature =
        new DeltaPrepare().prepareSql(context, CalcitePrepare.Query.of(sql), Object[].class, -1);
    StructType columns = DeltaTypes.schema(signature.rowType);
    createTable(session, context, create, schema, table, columns, signature);
  }

  private void createTable(DeltaSession session, CalcitePrepare.Context context, SqlCreateTable create,
      String schema, String table, StructType columns, CalcitePrepare.CalciteSignature<Object> query) {
    List<String> partitionColumns = new ArrayList<>();
    for (SqlIdentifier column : create.partitionedBy()) {
      String name = column.getSimple();
      StructField field = columns.fields().stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst()
          .orElseThrow(() -> PlannerErrors.unknownColumn(name, schema + "." + table, column.getParserPosition()));
      if (!(field.type() instanceof PrimitiveType) && !(field.type() instanceof io.deltasql.core.types.DecimalType)) {
        throw PlannerErrors.notSupported("Partition column '" + name + "' has type " + field.type().typeName()
            + "; partition columns must have a primitive type");
      }
      if (partitionColumns.contains(field.name())) {
        throw PlannerErrors.duplicateColumn(name, column.getParserPosition());
      }
      partitionColumns.add(field.name());
    }
    if (partitionColumns.size() == columns.fields().size() && !columns.fields().isEmpty()) {
      throw PlannerErrors.notSupported("Table " + schema + "." + table
          + " would have only partition columns; at least one column must be stored in the data files");
    }
    Map<String, String> properties = new LinkedHashMap<>(create.properties());
    checkTableProperties(schema + "." + table, properties);
    Map<String, String> tableProperties = new LinkedHashMap<>();
    String location;
    if (create.location().isPresent()) {
      location = session.checkLocation(create.location().get());
    } else {
      location = session.runtime().defaultLocation(schema, table);
      tableProperties.put(MANAGED, "true");
    }
    requireEmptyLocation(session, location);
    Metadata metadata = new Metadata(UUID.randomUUID().toString(), Optional.empty(), Optional.empty(), Format.PARQUET,
        SchemaJson.write(columns), partitionColumns, properties, Optional.of(System.currentTimeMillis()));
    MultiTableWriter writer = session.writer();
    MultiTableTransaction tx = writer.begin();
    try {
      NewTable newTable = new NewTable(schema, table, location, tableProperties);
      writer.createTable(tx, newTable, metadata, Optional.empty());
      if (query != null) {
        TransactionSnapshot created = writer.snapshotFor(tx, newTable.key());
        var adds = DataFileWriter.of(session.runtime().storage(), location, created.snapshot().metadata(),
            WriteOptions.DEFAULTS).write(queryRows(context, query, columns));
        if (!adds.isEmpty()) {
          tx.stageActions(new TableActionsBuilder(newTable.key(), created.readVersion()).addFiles(adds)
              .withOperation("WRITE", Map.of("mode", "Append")).build());
        }
      }
      writer.commit(tx);
    } catch (RuntimeException e) {
      rollBackUnlessEnded(writer, tx);
      throw e;
    }
    LOG.info("table created table={}.{} location={} columns={} partitionedBy={}", schema, table, location,
        columns.fields().size(), partitionColumns);
  }

  /** The rows of a query, as the data files store them. */
  private static Iterable<Object[]> queryRows(CalcitePrepare.Context context,
      CalcitePrepare.CalciteSignature<Object> query, StructType columns) {
    Enumerable<Object> rows = query.enumerable(new DmlContext(context.getDataContext(), query.internalParameters));
    boolean scalar = columns.fields().size() == 1;
    return rows.select(row -> DeltaDml.toDelta(columns, scalar ? new Object[] {row} : (Object[]) row));
  }

  /**
   * The Delta table properties deltasql acts on, checked as Delta checks them: a wrong value is
   * refused at CREATE, not ignored later by the mirror or the validator.
   */
  private static void checkTableProperties(String table, Map<String, String> properties) {
    for (Map.Entry<String, String> p : properties.entrySet()) {
      String value = p.getValue() == null ? "" : p.getValue().trim();
      boolean valid = switch (p.getKey()) {
        case "delta.checkpointInterval" -> value.matches("\\d{1,9}") && Integer.parseInt(value) > 0;
        case "delta.appendOnly" -> value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
        default -> true;
      };
      if (!valid) {
        throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "Table " + table + ": TBLPROPERTIES '" + p.getKey()
            + "' = '" + p.getValue() + "' is not valid: "
            + (p.getKey().equals("delta.appendOnly") ? "use true or false" : "use a whole number of versions, 1 or more"));
      }
    }
  }

  private static void requireEmptyLocation(DeltaSession session, String location) {
    // A file where the table's folder (or one above it) should be: the table could be committed
    // but never mirrored. Local paths only; an object store has no folders to be in the way.
    for (String at = location; !S3Location.isS3(location) && at != null; at = parentOf(at)) {
      if (session.runtime().storage().status(at).isPresent()) {
        throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "LOCATION '" + location + "' cannot hold a table: '"
            + at + "' is a file, not a folder");
      }
    }
    List<FileStatus> log = session.runtime().storage().list(StoragePaths.logDir(location));
    if (!log.isEmpty()) {
      throw new DeltaException(SqlState.DUPLICATE_TABLE, "LOCATION '" + location + "' already holds a Delta table;"
          + " import it with CREATE TABLE name LOCATION '" + location + "' (without columns)");
    }
  }

  /** The declared columns as a Delta schema. */
  private static StructType columns(CalcitePrepare.Context context, SqlCreateTable create) {
    SqlValidator validator = new ContextSqlValidator(context, false);
    List<StructField> fields = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (SqlColumnDef column : create.columns()) {
      String name = column.name().getSimple();
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw PlannerErrors.duplicateColumn(name, column.name().getParserPosition());
      }
      fields.add(field(validator, column));
    }
    if (fields.isEmpty()) {
      throw PlannerErrors.invalid("CREATE TABLE needs at least one column");
    }
    return new StructType(fields);
  }

  private static StructField field(SqlValidator validator, SqlColumnDef column) {
    SqlDataTypeSpec spec = column.dataType();
    RelDataType type = spec.deriveType(validator, true);
    boolean ntz = spec.getTypeNameSpec() instanceof SqlAlienSystemTypeNameSpec
        && spec.toString().toUpperCase(Locale.ROOT).contains("TIMESTAMP_NTZ");
    DataType deltaType = DeltaTypes.deltaType(type, ntz, column.name().getSimple());
    var metadata = JsonNodeFactory.instance.objectNode();
    column.comment().ifPresent(c -> metadata.put("comment", c));
    return new StructField(column.name().getSimple(), deltaType, column.isNullable(), metadata);
  }

  /** {@code DROP TABLE [IF EXISTS]}: the catalog forgets the table; a managed table's files are deleted. */
  public void execute(SqlDropTable drop, CalcitePrepare.Context context) {
    DeltaSession session = Sessions.of(context.getRootSchema());
    requireNoTransaction(session, "DROP TABLE");
    session.requireWritable("DROP TABLE");
    Optional<TableInfo> table = session.findTable(drop.name().names);
    if (table.isEmpty()) {
      if (drop.ifExists()) {
        return;
      }
      throw PlannerErrors.unknownTable(String.join(".", drop.name().names));
    }
    session.requireWritable("DROP TABLE " + table.get().qualifiedName(), table.get());
    dropTable(session, table.get());
  }

  /**
   * Drops a table under its exclusive lock: a transaction of this JVM that locked the table
   * (a pending write) makes DROP wait up to the connection's lock timeout, then fail with
   * {@code 55P03}, rather than drop the table under it.
   */
  private static void dropTable(DeltaSession session, TableInfo info) {
    session.writer().withTableLock(info.qualifiedName(), session.lockTimeout(), () -> dropUnlocked(session, info));
  }

  private static void dropUnlocked(DeltaSession session, TableInfo info) {
    boolean managed = "true".equals(info.properties().get(MANAGED));
    if (managed) {
      // The mirror may still be writing the table's last commits into _delta_log/ (auto-commit
      // and BEGIN MULTI return before their log files are written): let it finish, so that the
      // folder is not deleted under it (DirectoryNotEmptyException, or a log file left behind).
      long current = session.runtime().catalog().inTransaction(tx -> tx.currentVersion(info.tableId()));
      if (current >= 0) {
        session.runtime().mirror().awaitMirrored(info.tableId(), current, MIRROR_BEFORE_DROP);
      }
    }
    session.runtime().catalog().dropTable(info.tableId());
    session.writer().cache().invalidate(info.tableId());
    if (managed) {
      deleteFolder(session, info.location());
    }
    LOG.info("table dropped table={} location={} filesDeleted={}", info.qualifiedName(), info.location(), managed);
  }

  private static void deleteFolder(DeltaSession session, String location) {
    // Files first, then their folders deepest first (_delta_log, partition folders), then the table's.
    java.util.TreeSet<String> folders = new java.util.TreeSet<>(java.util.Comparator.comparing(String::length)
        .thenComparing(java.util.Comparator.naturalOrder()).reversed());
    for (FileStatus file : session.runtime().storage().listRecursively(location)) {
      session.runtime().storage().delete(file.path());
      for (String f = parent(file.path()); f.length() > location.length(); f = parent(f)) {
        folders.add(f);
      }
    }
    folders.forEach(session.runtime().storage()::delete);
    session.runtime().storage().delete(location);
  }

  /** The folder above a local path, or null at the root. */
  private static String parentOf(String path) {
    java.nio.file.Path parent = java.nio.file.Path.of(path).getParent();
    return parent == null ? null : parent.toString();
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash > 0 ? path.substring(0, slash) : "";
  }

  /** {@code ALTER TABLE t ADD COLUMNS (...)}: new nullable columns at the end. */
  public void execute(SqlAlterTableAddColumns alter, CalcitePrepare.Context context) {
    DeltaSession session = Sessions.of(context.getRootSchema());
    requireNoTransaction(session, "ALTER TABLE");
    session.requireWritable("ALTER TABLE");
    TableInfo info = session.resolveTable(alter.name().names);
    session.requireWritable("ALTER TABLE " + info.qualifiedName(), info);
    MultiTableWriter writer = session.writer();
    MultiTableTransaction tx = writer.begin();
    try {
      TransactionSnapshot read = writer.snapshotFor(tx, info.tableId());
      Snapshot snapshot = read.snapshot();
      StructType schema = writer.cache().schemaOf(snapshot.metadata());
      List<StructField> fields = new ArrayList<>(schema.fields());
      Set<String> seen = new HashSet<>();
      schema.fields().forEach(f -> seen.add(f.name().toLowerCase(Locale.ROOT)));
      SqlValidator validator = new ContextSqlValidator(context, false);
      for (SqlColumnDef column : alter.columns()) {
        if (!seen.add(column.name().getSimple().toLowerCase(Locale.ROOT))) {
          throw PlannerErrors.duplicateColumn(column.name().getSimple(), column.name().getParserPosition());
        }
        if (!column.isNullable()) {
          throw PlannerErrors.notSupported("Column '" + column.name().getSimple()
              + "' cannot be added as NOT NULL: the table's existing rows have no value for it");
        }
        fields.add(field(validator, column));
      }
      StructType altered = new StructType(fields);
      Metadata metadata = snapshot.metadata().withSchemaString(SchemaJson.write(altered));
      TableActionsBuilder actions = new TableActionsBuilder(info.qualifiedName(), read.readVersion())
          .withMetadata(metadata).withOperation("ADD COLUMNS");
      Protocol protocol = WriterFeatureSupport.withFeaturesFor(snapshot.protocol(), altered);
      if (!protocol.equals(snapshot.protocol())) {
        actions.withProtocol(protocol);
      }
      tx.stageActions(actions.build());
      writer.commit(tx);
    } catch (RuntimeException e) {
      rollBackUnlessEnded(writer, tx);
      throw e;
    }
  }

  private static void rollBackUnlessEnded(MultiTableWriter writer, MultiTableTransaction tx) {
    if (tx.state() == io.deltasql.core.txn.TransactionState.ACTIVE
        || tx.state() == io.deltasql.core.txn.TransactionState.FAILED) {
      writer.rollback(tx);
    }
  }

  private static void requireNoTransaction(DeltaSession session, String statement) {
    if (session.transaction().isPresent()) {
      throw PlannerErrors.ddlInTransaction(statement);
    }
  }
}
