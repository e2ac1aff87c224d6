package io.deltasql.parser.node;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCreate;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.util.ImmutableNullableList;

/**
 * {@code CREATE TABLE} in its three forms (see {@link Mode}):
 *
 * <pre>
 * CREATE TABLE [IF NOT EXISTS] name (column, ...)
 *     [PARTITIONED BY (c, ...)] [LOCATION 'path'] [TBLPROPERTIES ('k' = 'v', ...)]
 * CREATE TABLE [IF NOT EXISTS] name
 *     [PARTITIONED BY (c, ...)] [LOCATION 'path'] [TBLPROPERTIES (...)] AS query
 * CREATE TABLE [IF NOT EXISTS] name LOCATION 'path'
 * </pre>
 *
 * <p>{@code OR REPLACE} is parsed and kept ({@link #getReplace()}) for the planner to
 * accept or refuse.
 */
public final class SqlCreateTable extends SqlCreate {
  static final SqlOperator OPERATOR =
      new SqlSpecialOperator("CREATE TABLE", SqlKind.CREATE_TABLE) {
        @Override public SqlCall createCall(SqlLiteral functionQualifier, SqlParserPos pos,
            SqlNode... operands) {
          return new SqlCreateTable(pos, NodeSupport.flag(operands[0]),
              NodeSupport.flag(operands[1]), (SqlIdentifier) operands[2],
              (SqlNodeList) operands[3], (SqlNodeList) operands[4], (SqlLiteral) operands[5],
              (SqlNodeList) operands[6], operands[7]);
        }
      };

  /** Where the table's columns come from. */
  public enum Mode {
    /** A column list: a new, empty table. */
    COLUMNS,
    /** {@code AS query}: a new table holding the query's rows, with its columns. */
    AS_QUERY,
    /** Only {@code LOCATION}: import the Delta table already at that path. */
    IMPORT
  }

  private final SqlIdentifier name;
  private final SqlNodeList columns;
  private final SqlNodeList partitionedBy;
  private final SqlLiteral location;
  private final SqlNodeList properties;
  private final SqlNode query;

  SqlCreateTable(SqlParserPos pos, boolean replace, boolean ifNotExists, SqlIdentifier name,
      SqlNodeList columns, SqlNodeList partitionedBy, SqlLiteral location,
      SqlNodeList properties, SqlNode query) {
    super(OPERATOR, pos, replace, ifNotExists);
    this.name = name;
    this.columns = columns;
    this.partitionedBy = partitionedBy;
    this.location = location;
    this.properties = properties;
    this.query = query;
  }

  /** The table's name, possibly qualified by its schema. */
  public SqlIdentifier name() {
    return name;
  }

  /** Whether {@code IF NOT EXISTS} was written. */
  public boolean ifNotExists() {
    return ifNotExists;
  }

  /** Which of the three forms this is. */
  public Mode mode() {
    if (columns != null) {
      return Mode.COLUMNS;
    }
    return query != null ? Mode.AS_QUERY : Mode.IMPORT;
  }

  /** The declared columns, in order; empty unless {@link Mode#COLUMNS}. */
  public List<SqlColumnDef> columns() {
    return NodeSupport.listOf(columns, SqlColumnDef.class);
  }

  /** The {@code PARTITIONED BY} columns, in order; empty if not partitioned. */
  public List<SqlIdentifier> partitionedBy() {
    return NodeSupport.listOf(partitionedBy, SqlIdentifier.class);
  }

  /** The {@code LOCATION} path or URI, if written. */
  public Optional<String> location() {
    return Optional.ofNullable(location).map(NodeSupport::stringOf);
  }

  /** The {@code TBLPROPERTIES}, in the order written; values as text. */
  public Map<String, String> properties() {
    return NodeSupport.propertyMap(properties);
  }

  /** The query of {@code AS query}. */
  public Optional<SqlNode> query() {
    return Optional.ofNullable(query);
  }

  @Override public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override public List<SqlNode> getOperandList() {
    return ImmutableNullableList.of(NodeSupport.flag(getReplace()),
        NodeSupport.flag(ifNotExists), name, columns, partitionedBy, location, properties,
        query);
  }

  @Override public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("CREATE");
    if (getReplace()) {
      writer.keyword("OR REPLACE");
    }
    writer.keyword("TABLE");
    if (ifNotExists) {
      writer.keyword("IF NOT EXISTS");
    }
    name.unparse(writer, 0, 0);
    if (columns != null) {
      NodeSupport.unparseList(writer, columns);
    }
    if (partitionedBy != null) {
      writer.keyword("PARTITIONED BY");
      NodeSupport.unparseList(writer, partitionedBy);
    }
    if (location != null) {
      writer.keyword("LOCATION");
      location.unparse(writer, 0, 0);
    }
    if (properties != null) {
      writer.keyword("TBLPROPERTIES");
      NodeSupport.unparseProperties(writer, properties);
    }
    if (query != null) {
      writer.keyword("AS");
      writer.newlineAndIndent();
      query.unparse(writer, 0, 0);
    }
  }
}
