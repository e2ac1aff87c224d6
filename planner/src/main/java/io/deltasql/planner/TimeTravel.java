package io.deltasql.planner;

import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.parser.node.SqlVersionAsOf;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlSnapshot;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.util.TimestampString;

/**
 * Time travel in {@code FROM}: {@code t VERSION AS OF n}, {@code t TIMESTAMP AS OF 'ts'} and
 * {@code t FOR SYSTEM_TIME AS OF TIMESTAMP 'ts'}. Each becomes a reference to a table pinned
 * at that version, under a hidden name ({@code $v<n>$<table>}) that the table's schema resolves. A timestamp selects the last version committed at or before it (Delta's rule,
 * by in-commit timestamps); a timestamp without zone is UTC.
 */
final class TimeTravel extends SqlShuttle {
  private static final String PREFIX = "$v";
  /** The hidden name of a table at a version: {@code $v<version>$<table>}. */
  static final java.util.regex.Pattern HIDDEN_NAME = java.util.regex.Pattern.compile("\\$v(\\d+)\\$(.+)");

  private final DeltaSession session;
  private boolean travelled;

  private TimeTravel(DeltaSession session) {
    this.session = session;
  }

  /** The statement with every time-travel reference replaced, or null if it has none. */
  static SqlNode rewrite(SqlNode node, DeltaSession session) {
    TimeTravel shuttle = new TimeTravel(session);
    SqlNode rewritten = node.accept(shuttle);
    return shuttle.travelled ? rewritten : null;
  }

  @Override
  public SqlNode visit(SqlCall call) {
    if (call.getKind() == SqlKind.AS && isTimeTravel(call.operand(0))) {
      SqlNode[] operands = call.getOperandList().toArray(SqlNode[]::new);
      operands[0] = pinned(call.operand(0));
      return call.getOperator().createCall(call.getFunctionQuantifier(), call.getParserPosition(), operands);
    }
    if (isTimeTravel(call)) {
      SqlIdentifier table = (SqlIdentifier) tableRef(call);
      return SqlStdOperatorTable.AS.createCall(call.getParserPosition(), pinned(call),
          new SqlIdentifier(table.names.get(table.names.size() - 1), SqlParserPos.ZERO));
    }
    return super.visit(call);
  }

  private static boolean isTimeTravel(SqlNode node) {
    return node instanceof SqlVersionAsOf || node instanceof SqlSnapshot;
  }

  private static SqlNode tableRef(SqlNode node) {
    return node instanceof SqlVersionAsOf v ? v.tableRef() : ((SqlSnapshot) node).getTableRef();
  }

  /** The hidden identifier of the table at the version {@code node} asks for. */
  private SqlIdentifier pinned(SqlNode node) {
    if (!(tableRef(node) instanceof SqlIdentifier name)) {
      throw PlannerErrors.notSupported("Time travel applies to a table name, not to " + tableRef(node));
    }
    TableInfo table = session.resolveTable(name.names);
    long version = node instanceof SqlVersionAsOf v ? version(v, table) : versionAt((SqlSnapshot) node, table);
    String hidden = PREFIX + version + "$" + table.tableName();
    session.registerHiddenTable(table.schemaName(), hidden);
    travelled = true;
    return new SqlIdentifier(List.of(table.schemaName(), hidden), name.getParserPosition());
  }

  private static long version(SqlVersionAsOf node, TableInfo table) {
    if (node.versionNumber().isEmpty()) {
      throw PlannerErrors.notSupported("VERSION AS OF takes a version number, not a parameter");
    }
    long version = node.versionNumber().getAsLong();
    if (version < table.oldestVersion() || version > table.currentVersion()) {
      throw new DeltaException(SqlState.INVALID_PARAMETER_VALUE, "Version " + version + " of table "
          + table.qualifiedName() + " does not exist" + (version < table.oldestVersion() ? " any more" : "")
          + "; versions " + table.oldestVersion() + " to " + table.currentVersion() + " can be read");
    }
    return version;
  }

  private long versionAt(SqlSnapshot node, TableInfo table) {
    Instant at = instant(node.getPeriod());
    return session.runtime().catalog().inTransaction(tx -> tx.versionAsOf(table.tableId(), at));
  }

  private static Instant instant(SqlNode period) {
    if (period instanceof SqlLiteral literal) {
      Object value = literal.getValue();
      if (value instanceof TimestampString ts) {
        return Instant.ofEpochMilli(ts.getMillisSinceEpoch());
      }
      String text = literal.toValue();
      if (text != null) {
        return parse(text.trim());
      }
    }
    throw new DeltaException(SqlState.DATATYPE_MISMATCH,
        "TIMESTAMP AS OF takes a timestamp literal such as '2024-05-01 10:00:00', not " + period);
  }

  private static Instant parse(String text) {
    try {
      return OffsetDateTime.parse(text.replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException e) {
      // no zone: UTC
    }
    try {
      return LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      // a date alone
    }
    try {
      return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new DeltaException(SqlState.INVALID_DATETIME_FORMAT, "Cannot read '" + text
          + "' as a timestamp; write it as 'YYYY-MM-DD HH:MM:SS[.fff][+hh:mm]' (UTC without a zone)");
    }
  }
}
