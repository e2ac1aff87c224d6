package io.deltasql.planner;

import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.parser.node.SqlBeginTransaction;
import io.deltasql.parser.node.SqlCommit;
import io.deltasql.parser.node.SqlDescribeHistory;
import io.deltasql.parser.node.SqlRollback;
import io.deltasql.parser.node.SqlShowSchemas;
import io.deltasql.parser.node.SqlShowTables;
import java.lang.reflect.Type;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.interpreter.BindableConvention;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCostFactory;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.Prepare.CatalogReader;
import org.apache.calcite.prepare.CalcitePrepareImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.sql.SqlDelete;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUpdate;
import org.apache.calcite.sql.dialect.CalciteSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.tools.Program;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.sql2rel.SqlToRelConverter;

/**
 * Calcite's statement preparation with what Delta tables add:
 * <ul>
 *   <li>the catalog's schemas are (re)attached to the connection's root schema before each
 *       statement, so schemas created elsewhere are seen;
 *   <li>{@code DELETE} and {@code UPDATE} of a Delta table become a query over its row-tagged
 *       variant (validated, typed and parameterised by Calcite) whose rows drive the
 *       copy-on-write rewrite in {@link DeltaDml};
 *   <li>{@code SHOW TABLES}, {@code SHOW SCHEMAS} and {@code DESCRIBE HISTORY} are queries of
 *       the {@code sys} tables;
 *   <li>the planner knows {@link DeltaRules}.
 * </ul>
 */
public class DeltaPrepare extends CalcitePrepareImpl {
  private static final SqlParserPos POS = SqlParserPos.ZERO;

  @Override
  protected RelOptPlanner createPlanner(CalcitePrepare.Context prepareContext, org.apache.calcite.plan.Context externalContext,
      RelOptCostFactory costFactory) {
    RelOptPlanner planner = super.createPlanner(prepareContext, externalContext, costFactory);
    DeltaRules.register(planner);
    return planner;
  }

  /** Calcite's convertlets, with a windowed integer {@code AVG} summed as DOUBLE ({@link WindowedAverages}). */
  @Override
  protected SqlRexConvertletTable createConvertletTable() {
    return WindowedAverages.INSTANCE;
  }

  /** Calcite's statement preparation, with the structured casts rewritten before planning. */
  @Override
  protected CalcitePreparingStmt getPreparingStmt(CalcitePrepare.Context context, Type elementType,
      CalciteCatalogReader catalogReader, RelOptPlanner planner) {
    EnumerableRel.Prefer prefer = elementType == Object[].class ? EnumerableRel.Prefer.ARRAY
        : EnumerableRel.Prefer.CUSTOM;
    Convention convention = enableBindable ? BindableConvention.INSTANCE : EnumerableConvention.INSTANCE;
    RelOptCluster cluster = createCluster(planner, new RexBuilder(context.getTypeFactory()));
    return new CalcitePreparingStmt(this, context, catalogReader, context.getTypeFactory(),
        context.getRootSchema(), prefer, cluster, convention, createConvertletTable()) {
      @Override
      protected Program getProgram() {
        return CompositeCasts.PROGRAM;
      }

      @Override
      protected SqlToRelConverter getSqlToRelConverter(SqlValidator validator, CatalogReader catalogReader,
          SqlToRelConverter.Config config) {
        return super.getSqlToRelConverter(validator, catalogReader, LiteralRows.configure(config));
      }
    };
  }

  @Override
  public <T> CalciteSignature<T> prepareSql(CalcitePrepare.Context context, Query<T> query, Type elementType,
      long maxRowCount) {
    if (query.sql == null) {
      return super.prepareSql(context, query, elementType, maxRowCount);
    }
    DeltaSession session = Sessions.of(context.getRootSchema());
    SqlNode node;
    try {
      node = SqlParser.create(query.sql, parserConfig(context.config())).parseStmt();
    } catch (SqlParseException e) {
      // Calcite parses again and reports the error its own way.
      return super.prepareSql(context, query, elementType, maxRowCount);
    }
    if (!(node instanceof SqlBeginTransaction || node instanceof SqlCommit || node instanceof SqlRollback)) {
      // Transaction control names no table: no need to list the catalog's schemas for it, which
      // was one catalog query of each BEGIN MULTI, COMMIT and ROLLBACK.
      attachSchemas(session, context.getRootSchema());
    }
    // A query or DML statement resolves each table once while it is prepared (the validator,
    // the converter and the DML planning each ask the schema); DDL and procedures change tables
    // as they are prepared, so they look up afresh.
    boolean memo = node.isA(SqlKind.QUERY) || node.isA(SqlKind.DML);
    if (memo) {
      session.beginPreparing();
    }
    try {
      SqlNode travelled = TimeTravel.rewrite(node, session);
      if (travelled == null) {
        return prepare(context, session, query, node, elementType, maxRowCount);
      }
      String sql = travelled.toSqlString(c -> c.withDialect(CalciteSqlDialect.DEFAULT).withQuoteAllIdentifiers(true))
          .getSql();
      return prepare(context, session, Query.of(sql), travelled, elementType, maxRowCount);
    } finally {
      if (memo) {
        session.endPreparing();
      }
    }
  }

  private <T> CalciteSignature<T> prepare(CalcitePrepare.Context context, DeltaSession session, Query<T> query,
      SqlNode node, Type elementType, long maxRowCount) {
    Optional<SysTable> procedure = Procedures.of(node, session,
        (table, where) -> fileHits(context, session, table, where));
    if (procedure.isPresent()) {
      return rowsSignature(context, query.sql, procedure.get());
    }
    SqlNode target = node instanceof org.apache.calcite.sql.SqlInsert insert ? insert.getTargetTable()
        : node instanceof SqlDelete delete ? delete.getTargetTable()
        : node instanceof SqlUpdate update ? update.getTargetTable() : null;
    if (target instanceof org.apache.calcite.sql.SqlIdentifier id && id.names.size() == 2
        && id.names.get(0).equalsIgnoreCase(SysSchema.NAME)) {
      throw new DeltaException(SqlState.INSUFFICIENT_PRIVILEGE, "System table " + id + " is read-only: the catalog"
          + " maintains it; change the Delta tables instead");
    }
    if (node instanceof org.apache.calcite.sql.SqlMerge merge) {
      // DESIGN: MERGE INTO comes later; Calcite would fail to plan it without saying why
      throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED, "MERGE INTO " + merge.getTargetTable()
          + " is not supported yet: use INSERT, UPDATE and DELETE in one BEGIN MULTI transaction");
    }
    Optional<LiteralInsert.Rows> literal = LiteralInsert.of(node, session);
    if (literal.isPresent()) {
      long tableId = literal.get().table().tableId();
      List<Object[]> rows = literal.get().rows();
      Bindable<Long> insert = dataContext -> DeltaDml.insert(dataContext, tableId, Linq4j.asEnumerable(rows), true);
      return dmlSignature(context, query.sql, List.of(),
          Map.<String, Object>of("_conformance", context.config().conformance()), insert);
    }
    if (node instanceof SqlDelete delete) {
      return dml(context, session, query.sql, delete.getTargetTable(), delete.getAlias(), List.of(),
          delete.getCondition(), null);
    }
    if (node instanceof SqlUpdate update) {
      return dml(context, session, query.sql, update.getTargetTable(), update.getAlias(),
          update.getSourceExpressionList().getList(), update.getCondition(), update.getTargetColumnList());
    }
    String rewritten = IntrospectionQueries.rewrite(node, session);
    if (rewritten != null) {
      return super.prepareSql(context, Query.of(rewritten), elementType, maxRowCount);
    }
    try {
      return LiteralRows.hasLongValues(node)
          ? LiteralRows.withoutSimplification(() -> super.prepareSql(context, query, elementType, maxRowCount))
          : super.prepareSql(context, query, elementType, maxRowCount);
    } catch (IndexOutOfBoundsException e) {
      if (target == null) {
        throw e;
      }
      // Calcite's validator, for a VALUES row wider than the table
      throw new DeltaException(SqlState.SYNTAX_ERROR, "INSERT INTO " + target
          + " has more values in a row than the table has columns", e);
    }
  }

  /**
   * A statement whose rows a {@link SysTable} computes when it runs (procedures): its columns
   * described for JDBC, its rows those of the table's scan.
   */
  @SuppressWarnings("unchecked")
  private static <T> CalciteSignature<T> rowsSignature(CalcitePrepare.Context context, String sql, SysTable table) {
    RelDataType rowType = table.getRowType(context.getTypeFactory());
    List<ColumnMetaData> columns = new ArrayList<>();
    for (var field : rowType.getFieldList()) {
      SqlTypeName type = field.getType().getSqlTypeName();
      Class<?> javaClass = switch (type) {
        case BIGINT -> Long.class;
        case INTEGER -> Integer.class;
        case BOOLEAN -> Boolean.class;
        case DOUBLE -> Double.class;
        default -> String.class;
      };
      columns.add(new ColumnMetaData(field.getIndex(), false, true, false, false,
          field.getType().isNullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
          javaClass != String.class, 40, field.getName(), field.getName(), null,
          field.getType().getPrecision(), 0, null, null,
          ColumnMetaData.scalar(type.getJdbcOrdinal(), type.getName(), ColumnMetaData.Rep.of(javaClass)),
          true, false, false, javaClass.getName()));
    }
    Bindable<T> bindable = dataContext -> (Enumerable<T>) (Enumerable<?>) table.scan(dataContext);
    return new CalciteSignature<>(sql, List.of(), Map.of(), rowType, columns, Meta.CursorFactory.ARRAY,
        context.getRootSchema(), List.of(), -1, bindable, Meta.StatementType.SELECT);
  }

  /** The files of {@code table} holding rows where {@code condition} holds (for OPTIMIZE ... WHERE). */
  private Procedures.HitsQuery fileHits(CalcitePrepare.Context context, DeltaSession session, TableInfo table,
      String condition) {
    String alias = "\"" + table.tableName().replace("\"", "\"\"") + "\"";
    String sql = "SELECT DISTINCT " + alias + ".\"" + DeltaTable.FILE_COLUMN + "\", 0 FROM \""
        + table.schemaName().replace("\"", "\"\"") + "\".\"" + (DeltaTable.TAGGED_PREFIX + table.tableName())
        .replace("\"", "\"\"") + "\" AS " + alias + " WHERE " + condition;
    CalciteSignature<Object[]> hits = prepareOverTagged(context, session, table, sql);
    return root -> {
      java.util.Set<String> files = new java.util.HashSet<>();
      for (Object[] row : hits.enumerable(new DmlContext(root, hits.internalParameters))) {
        files.add((String) row[0]);
      }
      return files;
    };
  }

  /** Prepares a query over the row-tagged variant of a table (see {@link DeltaSession#registerHiddenTable}). */
  private CalciteSignature<Object[]> prepareOverTagged(CalcitePrepare.Context context, DeltaSession session,
      TableInfo table, String sql) {
    session.registerHiddenTable(table.schemaName(), DeltaTable.TAGGED_PREFIX + table.tableName());
    return super.prepareSql(context, Query.of(sql), Object[].class, -1);
  }

  static SqlParser.Config parserConfig(CalciteConnectionConfig config) {
    return SqlParser.config()
        .withQuoting(config.quoting())
        .withQuotedCasing(config.quotedCasing())
        .withUnquotedCasing(config.unquotedCasing())
        .withCaseSensitive(config.caseSensitive())
        .withConformance(config.conformance())
        .withParserFactory(DeltaParserFactory.INSTANCE);
  }

  /** Adds a {@link DeltaSchema} for every schema of the catalog, and removes those dropped. */
  public static void attachSchemas(DeltaSession session, CalciteSchema root) {
    List<String> names = session.schemaNames();
    for (String name : names) {
      CalciteSchema existing = root.getSubSchema(name, true);
      if (existing == null || !(existing.schema instanceof DeltaSchema)) {
        // Not cached: tables come and go with other connections' DDL, and the lookup is an indexed query.
        root.add(name, new DeltaSchema(session, name)).setCache(false);
      }
    }
    for (String name : List.copyOf(root.getSubSchemaMap().keySet())) {
      CalciteSchema sub = root.getSubSchema(name, true);
      if (sub != null && sub.schema instanceof DeltaSchema && !names.contains(name)) {
        root.removeSubSchema(name);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private <T> CalciteSignature<T> dml(CalcitePrepare.Context context, DeltaSession session, String sql,
      SqlNode target, SqlIdentifier alias, List<SqlNode> sources, SqlNode condition, SqlNodeList columns) {
    TableInfo table = session.resolveTable(((SqlIdentifier) target).names);
    String correlation = alias != null ? alias.getSimple() : Util.last(((SqlIdentifier) target).names);
    SqlIdentifier tagged = new SqlIdentifier(List.of(table.schemaName(), DeltaTable.TAGGED_PREFIX + table.tableName()), POS);
    SqlNodeList select = new SqlNodeList(POS);
    select.add(new SqlIdentifier(List.of(correlation, DeltaTable.FILE_COLUMN), POS));
    select.add(new SqlIdentifier(List.of(correlation, DeltaTable.ROW_COLUMN), POS));
    int[] updated = columns == null ? null : updatedColumns(session, table, columns);
    for (int i = 0; i < sources.size(); i++) {
      select.add(typedParameter(context, session, table, sources.get(i), updated == null ? -1 : updated[i]));
    }
    SqlNode from = SqlStdOperatorTable.AS.createCall(POS, tagged,
        new SqlIdentifier(correlation, POS));
    SqlSelect query = new SqlSelect(POS, null, select, from, condition, null, null, null, null, null, null, null, null);
    String hitsSql = query.toSqlString(c -> c.withDialect(CalciteSqlDialect.DEFAULT).withQuoteAllIdentifiers(true))
        .getSql();
    CalciteSignature<Object[]> hits = prepareOverTagged(context, session, table, hitsSql);
    long tableId = table.tableId();
    Bindable<T> bindable = dataContext -> {
      DmlContext dml = new DmlContext(dataContext, hits.internalParameters);
      // Not read yet: binding the query scans the table, which the statement locks first.
      Supplier<Enumerable<Object[]>> rows = () -> hits.enumerable(dml);
      long count = updated == null ? DeltaDml.delete(dml, tableId, rows) : DeltaDml.update(dml, tableId, rows, updated);
      return (Enumerable<T>) Linq4j.singletonEnumerable(count);
    };
    return dmlSignature(context, sql, hits.parameters, hits.internalParameters, bindable);
  }

  /** The signature of a DML statement that {@code bindable} runs, returning its row count. */
  @SuppressWarnings("unchecked")
  private static <T> CalciteSignature<T> dmlSignature(CalcitePrepare.Context context, String sql,
      List<AvaticaParameter> parameters, Map<String, Object> internalParameters,
      Bindable<?> bindable) {
    RelDataType rowType = context.getTypeFactory().builder()
        .add("ROWCOUNT", SqlTypeName.BIGINT).nullable(false).build();
    List<ColumnMetaData> resultColumns = List.of(new ColumnMetaData(0, false, false, false, false,
        DatabaseMetaData.columnNoNulls, true, 19, "ROWCOUNT", "ROWCOUNT", null, 19, 0, null, null,
        ColumnMetaData.scalar(Types.BIGINT, "BIGINT", ColumnMetaData.Rep.PRIMITIVE_LONG), true, false, false,
        Long.class.getName()));
    return new CalciteSignature<>(sql, parameters, internalParameters, rowType, resultColumns,
        Meta.CursorFactory.OBJECT, context.getRootSchema(), List.of(), -1, (Bindable<T>) bindable,
        Meta.StatementType.IS_DML);
  }

  /**
   * A {@code SET column = ?} value as the hits query selects it: {@code CAST(? AS <column type>)},
   * since a bare parameter in a select list has no type to infer (Calcite's UPDATE takes it from
   * the column). Any other value is unchanged.
   */
  private static SqlNode typedParameter(CalcitePrepare.Context context, DeltaSession session, TableInfo table,
      SqlNode source, int column) {
    if (!(source instanceof SqlDynamicParam) || column < 0) {
      return source;
    }
    var field = session.writer().cache().metadata(table.tableId()).schema().fields().get(column);
    RelDataType type = DeltaTypes.sqlType(field.type(), true, context.getTypeFactory());
    return SqlStdOperatorTable.CAST.createCall(POS, source, SqlTypeUtil.convertTypeToSpec(type));
  }

  private static int[] updatedColumns(DeltaSession session, TableInfo table, SqlNodeList columns) {
    var schema = session.writer().cache().metadata(table.tableId()).schema();
    int[] indexes = new int[columns.size()];
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < indexes.length; i++) {
      SqlIdentifier column = (SqlIdentifier) columns.get(i);
      String name = Util.last(column.names);
      int index = -1;
      for (int f = 0; f < schema.fields().size(); f++) {
        if (schema.fields().get(f).name().equalsIgnoreCase(name)) {
          index = f;
        }
      }
      if (index < 0) {
        throw PlannerErrors.unknownColumn(name, table.qualifiedName(), column.getParserPosition());
      }
      if (seen.contains(schema.fields().get(index).name())) {
        throw PlannerErrors.duplicateColumn(name, column.getParserPosition());
      }
      seen.add(schema.fields().get(index).name());
      indexes[i] = index;
    }
    return indexes;
  }

  /** Small helpers. */
  static final class Util {
    private Util() {}

    static String last(List<String> names) {
      return names.get(names.size() - 1);
    }
  }

}
