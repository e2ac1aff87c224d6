package io.deltasql.planner;

import io.deltasql.core.data.Predicate;
import io.deltasql.core.data.Predicate.Op;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * Calcite filters as the data layer's skipping {@link Predicate}s. A filter that cannot be
 * expressed (a function of a column, a cast, a comparison of two columns, NOT) is simply not
 * pushed: skipping is an optimisation and Calcite filters the rows anyway. What is pushed must
 * never skip a matching row: literals are converted to the column's type exactly or not at
 * all, and timestamp comparisons allow for Calcite seeing values to the millisecond while the
 * files hold microseconds.
 */
final class FilterTranslator {
  private FilterTranslator() {}

  /** The conjunction of the filters that can be pushed, or null if none can. */
  static Predicate translate(List<RexNode> filters, StructType schema, RexBuilder rexBuilder) {
    Predicate result = null;
    for (RexNode filter : filters) {
      Predicate p = translate(filter, schema, rexBuilder);
      if (p != null) {
        result = result == null ? p : new Predicate.And(result, p);
      }
    }
    return result;
  }

  private static Predicate translate(RexNode node, StructType schema, RexBuilder rexBuilder) {
    if (!(node instanceof RexCall call)) {
      return null;
    }
    switch (call.getKind()) {
      case AND: {
        Predicate result = null;
        for (RexNode operand : call.getOperands()) {
          Predicate p = translate(operand, schema, rexBuilder);
          if (p != null) {
            result = result == null ? p : new Predicate.And(result, p);
          }
        }
        return result;
      }
      case OR: {
        Predicate result = null;
        for (RexNode operand : call.getOperands()) {
          Predicate p = translate(operand, schema, rexBuilder);
          if (p == null) {
            return null;
          }
          result = result == null ? p : new Predicate.Or(result, p);
        }
        return result;
      }
      case SEARCH:
        return translate(RexUtil.expandSearch(rexBuilder, null, call), schema, rexBuilder);
      case IS_NULL:
      case IS_NOT_NULL: {
        StructField field = column(call.getOperands().get(0), schema);
        return field == null ? null
            : new Predicate.IsNull(List.of(field.name()), call.getKind() == SqlKind.IS_NOT_NULL);
      }
      case EQUALS:
      case LESS_THAN:
      case LESS_THAN_OR_EQUAL:
      case GREATER_THAN:
      case GREATER_THAN_OR_EQUAL:
        return comparison(call, schema);
      default:
        return null;
    }
  }

  private static Predicate comparison(RexCall call, StructType schema) {
    RexNode left = call.getOperands().get(0);
    RexNode right = call.getOperands().get(1);
    SqlKind kind = call.getKind();
    if (left instanceof RexLiteral && !(right instanceof RexLiteral)) {
      RexNode swap = left;
      left = right;
      right = swap;
      kind = kind.reverse();
    }
    StructField field = column(left, schema);
    if (field == null || !(right instanceof RexLiteral literal) || literal.isNull()) {
      return null;
    }
    Object value = literalValue(literal, field);
    if (value == null) {
      return null;
    }
    List<String> path = List.of(field.name());
    if (field.type() == PrimitiveType.TIMESTAMP || field.type() == PrimitiveType.TIMESTAMP_NTZ) {
      return timestamp(path, kind, value);
    }
    return new Predicate.Comparison(path, op(kind), value);
  }

  /**
   * Calcite compares a timestamp truncated to the millisecond with a literal L of whole
   * milliseconds: {@code floor(v) > L} is {@code v >= L + 1 ms}, {@code floor(v) <= L} is
   * {@code v < L + 1 ms} and {@code floor(v) = L} is {@code L <= v < L + 1 ms}.
   */
  private static Predicate timestamp(List<String> path, SqlKind kind, Object value) {
    Object next = value instanceof Instant instant ? instant.plusMillis(1)
        : ((LocalDateTime) value).plusNanos(1_000_000);
    return switch (kind) {
      case LESS_THAN -> new Predicate.Comparison(path, Op.LT, value);
      case GREATER_THAN_OR_EQUAL -> new Predicate.Comparison(path, Op.GE, value);
      case GREATER_THAN -> new Predicate.Comparison(path, Op.GE, next);
      case LESS_THAN_OR_EQUAL -> new Predicate.Comparison(path, Op.LT, next);
      default -> new Predicate.And(new Predicate.Comparison(path, Op.GE, value),
          new Predicate.Comparison(path, Op.LT, next));
    };
  }

  private static Op op(SqlKind kind) {
    return switch (kind) {
      case EQUALS -> Op.EQ;
      case LESS_THAN -> Op.LT;
      case LESS_THAN_OR_EQUAL -> Op.LE;
      case GREATER_THAN -> Op.GT;
      default -> Op.GE;
    };
  }

  private static StructField column(RexNode node, StructType schema) {
    if (node instanceof RexInputRef ref && ref.getIndex() < schema.fields().size()) {
      StructField field = schema.fields().get(ref.getIndex());
      DataType type = field.type();
      return type instanceof PrimitiveType || type instanceof DecimalType ? field : null;
    }
    return null;
  }

  /** The literal as a value of the column's type, or null if it has no exact such value. */
  private static Object literalValue(RexLiteral literal, StructField field) {
    DataType type = field.type();
    Object sql;
    if (type == PrimitiveType.FLOAT || type == PrimitiveType.DOUBLE) {
      BigDecimal number = literal.getValueAs(BigDecimal.class);
      if (number == null) {
        return null;
      }
      double d = number.doubleValue();
      if (type == PrimitiveType.FLOAT) {
        float f = (float) d;
        return new BigDecimal(f).compareTo(number) == 0 ? f : null;
      }
      return new BigDecimal(d).compareTo(number) == 0 ? d : null;
    }
    try {
      sql = switch (literal.getType().getSqlTypeName()) {
        case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL -> literal.getValueAs(BigDecimal.class);
        case CHAR, VARCHAR -> literal.getValueAs(String.class);
        case BOOLEAN -> literal.getValueAs(Boolean.class);
        case DATE -> literal.getValueAs(Integer.class);
        case TIMESTAMP -> literal.getValueAs(Long.class);
        default -> null;
      };
      if (sql == null || (sql instanceof BigDecimal && !(type instanceof DecimalType)
          && !isIntegral(type))) {
        return null;
      }
      return SqlValues.toDelta(type, sql, field.name());
    } catch (DeltaException | IllegalArgumentException | AssertionError e) {
      return null;
    }
  }

  private static boolean isIntegral(DataType type) {
    return type == PrimitiveType.LONG || type == PrimitiveType.INTEGER || type == PrimitiveType.SHORT
        || type == PrimitiveType.BYTE;
  }
}
