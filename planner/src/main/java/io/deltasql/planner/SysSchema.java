package io.deltasql.planner;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.cache.TableMetadata;
import io.deltasql.core.catalog.CatalogStore;
import io.deltasql.core.catalog.MirrorStatus;
import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.catalog.VersionRecord;
import io.deltasql.core.txn.MultiTableTransaction;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Measurement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * The {@code sys} schema: what the catalog and the running driver know, as tables.
 *
 * <ul>
 *   <li>{@code schemas}, {@code tables}: the catalog's schemas and tables;
 *   <li>{@code columns}: the columns of every table's latest version, in order, with their SQL and
 *       Delta types, nullability, partition position and comment;
 *   <li>{@code history}: every version of every table (operation, time, transaction id);
 *   <li>{@code files}: the active files of every table's latest version;
 *   <li>{@code mirror_status}: versions not yet written to their table's {@code _delta_log};
 *   <li>{@code transactions}, {@code locks}: open transactions of this JVM and their table locks;
 *   <li>{@code metrics}: the driver's meters.
 * </ul>
 *
 * It also holds the connection's {@link DeltaSession} (see {@link Sessions}).
 */
public final class SysSchema extends AbstractSchema {
  public static final String NAME = "sys";

  private final DeltaSession session;

  public SysSchema(DeltaSession session) {
    this.session = session;
  }

  public DeltaSession session() {
    return session;
  }

  @Override
  protected Map<String, Table> getTableMap() {
    Map<String, Table> tables = new HashMap<>();
    tables.put("schemas", SysTable.builder().column("schema_name", SqlTypeName.VARCHAR)
        .rows(() -> session.schemaNames().stream().map(s -> new Object[] {s}).toList()));
    tables.put("tables", SysTable.builder()
        .column("table_schema", SqlTypeName.VARCHAR).column("table_name", SqlTypeName.VARCHAR)
        .column("table_id", SqlTypeName.BIGINT).column("location", SqlTypeName.VARCHAR)
        .column("current_version", SqlTypeName.BIGINT).column("oldest_version", SqlTypeName.BIGINT)
        .nullable("diverged", SqlTypeName.VARCHAR)
        .rows(() -> catalog().listTables().stream().map(t -> new Object[] {t.schemaName(), t.tableName(),
            t.tableId(), t.location(), t.currentVersion(), t.oldestVersion(), t.divergence().orElse(null)}).toList()));
    tables.put("columns", SysTable.builder()
        .column("table_schema", SqlTypeName.VARCHAR).column("table_name", SqlTypeName.VARCHAR)
        .column("column_name", SqlTypeName.VARCHAR).column("ordinal_position", SqlTypeName.INTEGER)
        .column("data_type", SqlTypeName.VARCHAR).column("delta_type", SqlTypeName.VARCHAR)
        .column("is_nullable", SqlTypeName.BOOLEAN).nullable("partition_ordinal", SqlTypeName.INTEGER)
        .nullable("comment", SqlTypeName.VARCHAR)
        .rows(this::columns));
    tables.put("history", SysTable.builder()
        .column("table_schema", SqlTypeName.VARCHAR).column("table_name", SqlTypeName.VARCHAR)
        .column("version", SqlTypeName.BIGINT).column("timestamp", SqlTypeName.TIMESTAMP)
        .column("operation", SqlTypeName.VARCHAR).nullable("operation_parameters", SqlTypeName.VARCHAR)
        .nullable("txn_id", SqlTypeName.VARCHAR).nullable("committer", SqlTypeName.VARCHAR)
        .column("action_count", SqlTypeName.INTEGER)
        .rows(this::history));
    tables.put("files", SysTable.builder()
        .column("table_schema", SqlTypeName.VARCHAR).column("table_name", SqlTypeName.VARCHAR)
        .column("version", SqlTypeName.BIGINT).column("path", SqlTypeName.VARCHAR)
        .column("size_bytes", SqlTypeName.BIGINT).column("partition_values", SqlTypeName.VARCHAR)
        .nullable("num_records", SqlTypeName.BIGINT).nullable("deletion_vector", SqlTypeName.VARCHAR)
        .nullable("stats", SqlTypeName.VARCHAR)
        .rows(this::files));
    tables.put("mirror_status", SysTable.builder()
        .column("table_schema", SqlTypeName.VARCHAR).column("table_name", SqlTypeName.VARCHAR)
        .column("version", SqlTypeName.BIGINT).column("state", SqlTypeName.VARCHAR)
        .column("attempts", SqlTypeName.INTEGER).nullable("last_error", SqlTypeName.VARCHAR)
        .column("updated_at", SqlTypeName.TIMESTAMP)
        .rows(this::mirrorStatus));
    tables.put("transactions", SysTable.builder()
        .column("txn_id", SqlTypeName.VARCHAR).column("state", SqlTypeName.VARCHAR)
        .column("isolation", SqlTypeName.VARCHAR).column("priority", SqlTypeName.INTEGER)
        .column("created_at", SqlTypeName.TIMESTAMP).column("tables", SqlTypeName.VARCHAR)
        .rows(this::transactions));
    tables.put("locks", SysTable.builder()
        .column("table_name", SqlTypeName.VARCHAR).column("txn_id", SqlTypeName.VARCHAR)
        .column("mode", SqlTypeName.VARCHAR).column("granted", SqlTypeName.BOOLEAN)
        .rows(this::locks));
    tables.put("metrics", SysTable.builder()
        .column("name", SqlTypeName.VARCHAR).column("tags", SqlTypeName.VARCHAR)
        .column("statistic", SqlTypeName.VARCHAR).column("value", SqlTypeName.DOUBLE)
        .rows(this::metrics));
    return tables;
  }

  private CatalogStore catalog() {
    return session.runtime().catalog();
  }

  private List<Object[]> columns() {
    RelDataTypeFactory types = new JavaTypeFactoryImpl(DeltaTypeSystem.INSTANCE);
    List<Object[]> rows = new ArrayList<>();
    for (TableInfo t : catalog().listTables()) {
      if (!t.hasVersions()) {
        continue;
      }
      TableMetadata metadata = session.writer().cache().metadata(t.tableId());
      List<String> partitions = metadata.partitionColumns();
      int ordinal = 0;
      for (StructField field : metadata.schema().fields()) {
        int partition = partitions.indexOf(field.name());
        JsonNode comment = field.metadata().get("comment");
        rows.add(new Object[] {t.schemaName(), t.tableName(), field.name(), ++ordinal,
            sqlTypeString(DeltaTypes.sqlType(field.type(), true, types)), deltaTypeString(field.type()),
            field.nullable(), partition < 0 ? null : partition + 1,
            comment == null || comment.isNull() ? null : comment.asText()});
      }
    }
    return rows;
  }

  /** The type as deltasql's DDL writes it, e.g. {@code ARRAY<STRUCT<k: VARCHAR>>}. */
  private static String sqlTypeString(RelDataType type) {
    return switch (type.getSqlTypeName()) {
      case ARRAY -> "ARRAY<" + sqlTypeString(type.getComponentType()) + ">";
      case MAP -> "MAP<" + sqlTypeString(type.getKeyType()) + ", " + sqlTypeString(type.getValueType()) + ">";
      case ROW -> type.getFieldList().stream().map(f -> f.getName() + ": " + sqlTypeString(f.getType()))
          .collect(Collectors.joining(", ", "STRUCT<", ">"));
      default -> type.getFullTypeString().replace(" NOT NULL", "");
    };
  }

  /** The type as Delta's schemas name it, nested types spelled out, e.g. {@code array<struct<k:string>>}. */
  private static String deltaTypeString(DataType type) {
    if (type instanceof ArrayType array) {
      return "array<" + deltaTypeString(array.elementType()) + ">";
    }
    if (type instanceof MapType map) {
      return "map<" + deltaTypeString(map.keyType()) + "," + deltaTypeString(map.valueType()) + ">";
    }
    if (type instanceof StructType struct) {
      return struct.fields().stream().map(f -> f.name() + ":" + deltaTypeString(f.type()))
          .collect(Collectors.joining(",", "struct<", ">"));
    }
    return type.typeName();
  }

  private List<Object[]> history() {
    List<Object[]> rows = new ArrayList<>();
    for (TableInfo t : catalog().listTables()) {
      for (VersionRecord v : catalog().history(t.tableId(), Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE / 2))) {
        rows.add(new Object[] {t.schemaName(), t.tableName(), v.version(), v.timestamp(), v.operation(),
            v.operationParameters().isEmpty() ? null : v.operationParameters().toString(),
            v.txnId().orElse(null), v.committer().orElse(null), v.actionCount()});
      }
    }
    return rows;
  }

  private List<Object[]> files() {
    List<Object[]> rows = new ArrayList<>();
    for (TableInfo t : catalog().listTables()) {
      if (!t.hasVersions()) {
        continue;
      }
      var snapshot = session.writer().cache().latest(t.tableId());
      List<AddFile> files = new ArrayList<>(snapshot.activeFiles());
      files.sort(Comparator.comparing(AddFile::path));
      for (AddFile f : files) {
        rows.add(new Object[] {t.schemaName(), t.tableName(), snapshot.version(), f.path(), f.size(),
            new java.util.TreeMap<>(f.partitionValues()).toString(), numRecords(f),
            f.deletionVector().map(Object::toString).orElse(null), f.stats().orElse(null)});
      }
    }
    return rows;
  }

  private static Long numRecords(AddFile file) {
    return file.stats().map(s -> {
      int at = s.indexOf("\"numRecords\":");
      if (at < 0) {
        return null;
      }
      int start = at + "\"numRecords\":".length();
      int end = start;
      while (end < s.length() && Character.isDigit(s.charAt(end))) {
        end++;
      }
      return end > start ? Long.valueOf(s.substring(start, end)) : null;
    }).orElse(null);
  }

  private List<Object[]> mirrorStatus() {
    List<Object[]> rows = new ArrayList<>();
    for (TableInfo t : catalog().listTables()) {
      List<MirrorStatus> pending = catalog().inTransaction(tx -> tx.unmirroredVersions(t.tableId()));
      for (MirrorStatus m : pending) {
        rows.add(new Object[] {t.schemaName(), t.tableName(), m.version(), m.state().name(), m.attempts(),
            m.lastError().orElse(null), m.updatedAt().toEpochMilli()});
      }
    }
    return rows;
  }

  private List<Object[]> transactions() {
    List<Object[]> rows = new ArrayList<>();
    for (MultiTableTransaction tx : session.writer().activeTransactions()) {
      rows.add(new Object[] {tx.id().toString(), tx.state().name(), tx.isolationLevel().sqlName(), tx.priority(),
          tx.createdAt().toEpochMilli(), String.join(",", tx.stagedTables())});
    }
    return rows;
  }

  private List<Object[]> locks() {
    List<Object[]> rows = new ArrayList<>();
    session.writer().lockManager().snapshot().forEach(lock -> rows.add(new Object[] {
        String.valueOf(lock.resource()), lock.owner().transactionId().toString(), lock.mode().name(),
        lock.status() == io.deltasql.core.txn.lock.LockStatus.GRANTED}));
    return rows;
  }

  private List<Object[]> metrics() {
    List<Object[]> rows = new ArrayList<>();
    for (Meter meter : session.runtime().registry().getMeters()) {
      String tags = meter.getId().getTags().toString();
      for (Measurement m : meter.measure()) {
        rows.add(new Object[] {meter.getId().getName(), tags, m.getStatistic().name(), m.getValue()});
      }
    }
    return rows;
  }
}
