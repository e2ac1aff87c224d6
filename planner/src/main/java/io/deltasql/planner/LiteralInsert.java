package io.deltasql.planner;

import io.deltasql.core.catalog.TableInfo;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlDateLiteral;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlInsert;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlUnknownLiteral;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;

/**
 * {@code INSERT INTO t [(columns)] VALUES (…)[, (…)]} whose values are all literals that fit
 * their columns exactly, prepared without Calcite's planning: the rows are converted here and
 * handed to {@link DeltaDml#insert} as the generated code of the planned statement would hand
 * them.
 *
 * <p>A thin client that sends SQL text with literals (every statement new, so no plan can be
 * reused) spent most of its server's CPU planning such statements: validation, conversion to
 * relational algebra, the optimizer and Janino's compilation of the one-row plan (the profile
 * is in {@code docs/benchmarks.md}, "Ad-hoc INSERT without planning").
 *
 * <p>Only what has one meaning is taken: integer literals into integer columns within range,
 * numeric literals into DOUBLE columns (REAL is left to Calcite's rounding), exact decimals into DECIMAL columns without
 * rounding, character literals into STRING columns, TRUE and FALSE into BOOLEAN, {@code DATE}
 * literals into DATE, NULL into a nullable column, and columns left out of the column list only
 * when they are nullable. Anything else (a cast, an expression, a string into a number or a
 * date, a value out of range, a decimal that needs rounding, a timestamp, a parameter, an
 * unknown table or column, a row of the wrong width, a NOT NULL column without a value) is
 * planned by Calcite as before, which keeps its results and its errors exactly as they were.
 *
 * <p>Each statement taken counts in the meter {@value #METER} ({@code sys.metrics}). The JVM
 * system property {@value #SWITCH}{@code =false} turns the shortcut off (every INSERT is
 * planned), a way out should a statement ever be found whose result differs.
 */
final class LiteralInsert {
  private LiteralInsert() {}

  /** The table and the rows, in the table's column order, as the planned statement would give them. */
  record Rows(TableInfo table, List<Object[]> rows) {}

  /** The counter of INSERT statements prepared here. */
  static final String METER = "deltasql.planner.literal.inserts";
  /** The system property that turns the shortcut off when {@code false}. */
  static final String SWITCH = "deltasql.planner.literalInserts";

  /** What {@link #value} returns for a value that Calcite should plan. */
  private static final Object UNFIT = new Object();

  /** The rows of {@code node}, or empty when Calcite should plan it. */
  static Optional<Rows> of(SqlNode node, DeltaSession session) {
    if (!(node instanceof SqlInsert insert) || insert.isUpsert() || "false".equals(System.getProperty(SWITCH))
        || !(insert.getTargetTable() instanceof SqlIdentifier id) || id.names.isEmpty() || id.names.size() > 2
        || id.isStar() || insert.getSource().getKind() != SqlKind.VALUES) {
      return Optional.empty();
    }
    String schemaName = id.names.size() == 2 ? id.names.get(0) : session.defaultSchema();
    Optional<TableInfo> found = session.catalogTable(schemaName, id.names.get(id.names.size() - 1));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    TableInfo table = found.get();
    StructType schema = session.writer().cache().metadata(table.tableId()).schema();
    int[] targets = targets(schema, insert.getTargetColumnList());
    if (targets == null) {
      return Optional.empty();
    }
    boolean[] given = new boolean[schema.fields().size()];
    for (int t : targets) {
      given[t] = true;
    }
    for (int i = 0; i < given.length; i++) {
      if (!given[i] && !schema.fields().get(i).nullable()) {
        return Optional.empty();
      }
    }
    List<SqlNode> rowNodes = ((SqlBasicCall) insert.getSource()).getOperandList();
    List<Object[]> rows = new ArrayList<>(rowNodes.size());
    for (SqlNode rowNode : rowNodes) {
      if (rowNode.getKind() != SqlKind.ROW) {
        return Optional.empty();
      }
      List<SqlNode> values = ((SqlBasicCall) rowNode).getOperandList();
      if (values.size() != targets.length) {
        return Optional.empty();
      }
      Object[] row = new Object[given.length];
      for (int i = 0; i < targets.length; i++) {
        StructField field = schema.fields().get(targets[i]);
        Object value = value(values.get(i), field);
        if (value == UNFIT) {
          return Optional.empty();
        }
        row[targets[i]] = value;
      }
      rows.add(row);
    }
    session.runtime().registry().counter(METER).increment();
    return Optional.of(new Rows(table, rows));
  }

  /**
   * The positions in {@code schema} of the named columns, or of all when there is no list;
   * null when a name is not a column of it (exactly, as the catalog stores it) or comes twice.
   */
  private static int[] targets(StructType schema, SqlNodeList columns) {
    List<StructField> fields = schema.fields();
    if (columns == null || columns.isEmpty()) {
      int[] all = new int[fields.size()];
      Arrays.setAll(all, i -> i);
      return all;
    }
    int[] targets = new int[columns.size()];
    boolean[] seen = new boolean[fields.size()];
    for (int i = 0; i < targets.length; i++) {
      if (!(columns.get(i) instanceof SqlIdentifier column) || !column.isSimple()) {
        return null;
      }
      int index = -1;
      for (int f = 0; f < fields.size() && index < 0; f++) {
        if (fields.get(f).name().equals(column.getSimple())) {
          index = f;
        }
      }
      if (index < 0 || seen[index]) {
        return null;
      }
      seen[index] = true;
      targets[i] = index;
    }
    return targets;
  }

  /**
   * The value of {@code node} for {@code field} in Calcite's representation ({@code Integer}
   * days for a DATE, null for NULL), or {@link #UNFIT} when it is not a literal that fits the
   * column exactly.
   */
  private static Object value(SqlNode node, StructField field) {
    boolean negate = false;
    SqlNode literal = node;
    if (node.getKind() == SqlKind.MINUS_PREFIX) {
      literal = ((SqlBasicCall) node).operand(0);
      negate = true;
      if (!(literal instanceof SqlNumericLiteral)) {
        return UNFIT;
      }
    }
    if (!(literal instanceof SqlLiteral lit)) {
      return UNFIT;
    }
    if (lit.getTypeName() == SqlTypeName.NULL) {
      return field.nullable() ? null : UNFIT;
    }
    DataType type = field.type();
    if (lit instanceof SqlNumericLiteral number) {
      BigDecimal value = number.getValueAs(BigDecimal.class);
      Object fit = number(negate ? value.negate() : value, number.isExact(), type);
      return fit == null ? UNFIT : fit;
    }
    if (type == PrimitiveType.STRING && lit instanceof SqlCharStringLiteral) {
      return lit.getValueAs(String.class);
    }
    if (type == PrimitiveType.BOOLEAN && lit.getTypeName() == SqlTypeName.BOOLEAN && lit.getValue() != null) {
      return lit.booleanValue();
    }
    if (type == PrimitiveType.DATE && lit instanceof SqlUnknownLiteral unknown && unknown.tag.equals("DATE")) {
      // the parser leaves DATE '…' unresolved until validation
      try {
        return ((SqlDateLiteral) unknown.resolve(SqlTypeName.DATE)).getValueAs(DateString.class).getDaysSinceEpoch();
      } catch (RuntimeException e) {
        return UNFIT; // not a date: the validator says so
      }
    }
    return UNFIT;
  }

  /** A numeric literal as a value of {@code type}, or null when it does not fit it exactly. */
  private static Object number(BigDecimal value, boolean exact, DataType type) {
    if (type instanceof DecimalType decimal) {
      if (!exact || value.scale() > decimal.scale()) {
        return null;
      }
      BigDecimal scaled = value.setScale(decimal.scale(), RoundingMode.UNNECESSARY);
      return scaled.precision() - scaled.scale() > decimal.precision() - decimal.scale() ? null : scaled;
    }
    if (!(type instanceof PrimitiveType primitive)) {
      return null;
    }
    return switch (primitive) {
      case LONG -> integral(value, exact, Long.MIN_VALUE, Long.MAX_VALUE);
      case INTEGER -> integral(value, exact, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case SHORT -> integral(value, exact, Short.MIN_VALUE, Short.MAX_VALUE);
      case BYTE -> integral(value, exact, Byte.MIN_VALUE, Byte.MAX_VALUE);
      case DOUBLE -> {
        double d = value.doubleValue();
        yield Double.isInfinite(d) ? null : d;
      }
      default -> null;
    };
  }

  /** An integer literal within {@code [min, max]} as a {@code Long}, else null. */
  private static Long integral(BigDecimal value, boolean exact, long min, long max) {
    if (!exact || value.scale() != 0 || value.compareTo(BigDecimal.valueOf(min)) < 0
        || value.compareTo(BigDecimal.valueOf(max)) > 0) {
      return null;
    }
    return value.longValueExact();
  }
}
