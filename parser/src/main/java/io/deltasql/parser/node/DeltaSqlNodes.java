package io.deltasql.parser.node;

import static io.deltasql.parser.node.DeltaParserResource.RESOURCE;

import java.math.BigDecimal;
import java.util.List;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.Resources.ExInst;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSnapshot;
import org.apache.calcite.sql.SqlUtil;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Creates the parse trees of deltasql's SQL extensions, as Calcite's {@code SqlDdlNodes}
 * does for its DDL. The generated parser calls these methods; so may tests and tools.
 *
 * <p>A method that finds its input unusable (a negative version, a {@code CREATE TABLE}
 * without columns) throws a {@link CalciteContextException} at the input's position,
 * which the parser reports as a {@code SqlParseException}.
 */
public final class DeltaSqlNodes {
  private DeltaSqlNodes() {
  }

  /** Creates a column of {@code CREATE TABLE} or {@code ALTER TABLE ... ADD COLUMN}. */
  public static SqlColumnDef column(SqlParserPos pos, SqlIdentifier name,
      SqlDataTypeSpec dataType, SqlNode comment) {
    return new SqlColumnDef(pos, name, dataType, characterString(comment, "COMMENT"));
  }

  /**
   * Creates a {@code CREATE TABLE}: with a column list, with {@code AS query}, or with
   * neither but a {@code LOCATION} (an import). Null means "not written".
   */
  public static SqlCreateTable createTable(SqlParserPos pos, boolean replace,
      boolean ifNotExists, SqlIdentifier name, SqlNodeList columns, SqlNodeList partitionedBy,
      SqlNode location, SqlNodeList properties, SqlNode query) {
    if (columns != null && query != null) {
      final SqlParserPos at = query.getParserPosition();
      throw error(at, RESOURCE.createTableColumnsAndQuery(name.toString(), at.getLineNum(),
          at.getColumnNum()));
    }
    if (columns == null && query == null && location == null) {
      final SqlParserPos at = name.getParserPosition();
      throw error(at, RESOURCE.createTableWithoutDefinition(name.toString(), at.getLineNum(),
          at.getColumnNum()));
    }
    return new SqlCreateTable(pos, replace, ifNotExists, name, columns, partitionedBy,
        characterString(location, "LOCATION"), properties, query);
  }

  /**
   * Appends one {@code 'key' = value} of {@code TBLPROPERTIES} to {@code list}: the key, a
   * character string not already in the list, then the value, a string, a number, TRUE or
   * FALSE.
   */
  public static void addTableProperty(List<SqlNode> list, SqlNode key, SqlNode value) {
    final SqlLiteral literal = SqlLiteral.unchain(value);
    final boolean legal = literal instanceof SqlCharStringLiteral
        || literal instanceof SqlNumericLiteral
        || literal.getTypeName() == SqlTypeName.BOOLEAN && literal.getValue() != null;
    if (!legal) {
      final SqlParserPos pos = value.getParserPosition();
      throw error(pos, RESOURCE.illegalTablePropertyValue(value.toString(), pos.getLineNum(),
          pos.getColumnNum()));
    }
    final SqlLiteral keyLiteral = characterString(key, "TBLPROPERTIES key");
    for (int i = 0; i < list.size(); i += 2) {
      if (NodeSupport.stringOf((SqlLiteral) list.get(i)).equals(NodeSupport.stringOf(keyLiteral))) {
        final SqlParserPos pos = key.getParserPosition();
        throw error(pos, RESOURCE.duplicateTableProperty(keyLiteral.toString(),
            pos.getLineNum(), pos.getColumnNum()));
      }
    }
    list.add(keyLiteral);
    list.add(literal);
  }

  /** Creates a {@code DROP TABLE}. */
  public static SqlDropTable dropTable(SqlParserPos pos, boolean ifExists,
      SqlIdentifier name) {
    return new SqlDropTable(pos, ifExists, name);
  }

  /** Creates an {@code ALTER TABLE ... ADD COLUMN(S)} of one or more columns. */
  public static SqlAlterTableAddColumns alterTableAddColumns(SqlParserPos pos,
      SqlIdentifier name, SqlNodeList columns) {
    return new SqlAlterTableAddColumns(pos, name, columns);
  }

  /** Creates a {@code CREATE SCHEMA}. */
  public static SqlCreateSchema createSchema(SqlParserPos pos, boolean replace,
      boolean ifNotExists, SqlIdentifier name) {
    return new SqlCreateSchema(pos, replace, ifNotExists, name);
  }

  /** Creates a {@code DROP SCHEMA}. */
  public static SqlDropSchema dropSchema(SqlParserPos pos, boolean ifExists,
      SqlIdentifier name, boolean cascade) {
    return new SqlDropSchema(pos, ifExists, name, cascade);
  }

  /** Creates a {@code SHOW TABLES}; {@code schema} is null for the default schema. */
  public static SqlShowTables showTables(SqlParserPos pos, SqlIdentifier schema) {
    return new SqlShowTables(pos, schema);
  }

  /** Creates a {@code SHOW SCHEMAS}. */
  public static SqlShowSchemas showSchemas(SqlParserPos pos) {
    return new SqlShowSchemas(pos);
  }

  /**
   * Creates a {@code BEGIN [MULTI]} or {@code START TRANSACTION}; {@code isolation} and
   * {@code priority} (an integer literal) are null when not written.
   */
  public static SqlBeginTransaction beginTransaction(SqlParserPos pos, boolean multi,
      IsolationLevel isolation, SqlLiteral priority) {
    final SqlLiteral level = isolation == null ? null : SqlLiteral.createSymbol(isolation, pos);
    return new SqlBeginTransaction(pos, multi, level, wholeNumber(priority, "PRIORITY", Integer.MIN_VALUE, Integer.MAX_VALUE));
  }

  /** Creates a {@code COMMIT}. */
  public static SqlCommit commit(SqlParserPos pos) {
    return new SqlCommit(pos);
  }

  /** Creates a {@code ROLLBACK}. */
  public static SqlRollback rollback(SqlParserPos pos) {
    return new SqlRollback(pos);
  }

  /** Creates a {@code DESCRIBE HISTORY}; {@code limit} is null when not written. */
  public static SqlDescribeHistory describeHistory(SqlParserPos pos, SqlIdentifier table,
      SqlLiteral limit) {
    return new SqlDescribeHistory(pos, table, wholeNumber(limit, "LIMIT", 0, Integer.MAX_VALUE));
  }

  /** Creates an {@code OPTIMIZE}; {@code where} is null when not written. */
  public static SqlOptimize optimize(SqlParserPos pos, SqlIdentifier table, SqlNode where) {
    return new SqlOptimize(pos, requireTable(table, "OPTIMIZE", pos), where);
  }

  /** Creates a {@code VACUUM}; {@code retainHours} is null when not written. */
  public static SqlVacuum vacuum(SqlParserPos pos, SqlIdentifier table,
      SqlLiteral retainHours, boolean dryRun) {
    requireTable(table, "VACUUM", pos);
    if (retainHours != null && retainHours.bigDecimalValue().signum() < 0) {
      final SqlParserPos at = retainHours.getParserPosition();
      throw error(at, RESOURCE.negativeRetention(retainHours.toString(), at.getLineNum(),
          at.getColumnNum()));
    }
    return new SqlVacuum(pos, table, retainHours, dryRun);
  }

  /** Creates a {@code CHECKPOINT}. */
  public static SqlCheckpoint checkpoint(SqlParserPos pos, SqlIdentifier table) {
    return new SqlCheckpoint(pos, requireTable(table, "CHECKPOINT", pos));
  }

  /**
   * Creates {@code tableRef VERSION AS OF version}, where {@code version} is an integer
   * literal of 0 or more or a dynamic parameter.
   */
  public static SqlVersionAsOf versionAsOf(SqlParserPos pos, SqlNode tableRef,
      SqlNode version) {
    final SqlNode checked = version instanceof SqlLiteral literal
        ? wholeNumber(literal, "VERSION AS OF", 0, Long.MAX_VALUE)
        : version;
    return new SqlVersionAsOf(pos, tableRef, checked);
  }

  /**
   * Creates {@code tableRef TIMESTAMP AS OF timestamp}: Calcite's snapshot, the same
   * tree as {@code tableRef FOR SYSTEM_TIME AS OF timestamp}.
   */
  public static SqlSnapshot timestampAsOf(SqlParserPos pos, SqlNode tableRef,
      SqlNode timestamp) {
    return new SqlSnapshot(pos, tableRef, timestamp);
  }

  // Checks of the input.

  private static SqlIdentifier requireTable(SqlIdentifier table, String statement,
      SqlParserPos pos) {
    if (table == null) {
      throw error(pos, RESOURCE.tableNameExpected(statement, pos.getLineNum(),
          pos.getColumnNum()));
    }
    return table;
  }

  private static SqlLiteral characterString(SqlNode node, String clause) {
    if (node == null) {
      return null;
    }
    final SqlLiteral literal = SqlLiteral.unchain(node);
    if (!(literal instanceof SqlCharStringLiteral)) {
      final SqlParserPos pos = node.getParserPosition();
      throw error(pos, RESOURCE.characterStringExpected(clause, pos.getLineNum(),
          pos.getColumnNum()));
    }
    return literal;
  }

  private static SqlLiteral wholeNumber(SqlLiteral literal, String clause, long min,
      long max) {
    if (literal != null && !isWholeNumber(literal, min, max)) {
      final SqlParserPos pos = literal.getParserPosition();
      throw error(pos, RESOURCE.wholeNumberExpected(clause, literal.toString(),
          pos.getLineNum(), pos.getColumnNum(), min, max));
    }
    return literal;
  }

  private static boolean isWholeNumber(SqlLiteral literal, long min, long max) {
    if (!(literal instanceof SqlNumericLiteral numeric)
        || !numeric.isExact() || !numeric.isInteger()) {
      return false;
    }
    final BigDecimal value = numeric.bigDecimalValue();
    return value.compareTo(BigDecimal.valueOf(min)) >= 0
        && value.compareTo(BigDecimal.valueOf(max)) <= 0;
  }

  private static CalciteContextException error(SqlParserPos pos, ExInst<?> message) {
    return SqlUtil.newContextException(pos, message);
  }
}
