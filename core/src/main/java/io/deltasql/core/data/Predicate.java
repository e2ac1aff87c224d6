package io.deltasql.core.data;

import java.util.List;
import java.util.Objects;

/**
 * A simple filter a reader can use to skip data: whole files (by partition values) and Parquet
 * row groups (by their statistics). Skipping is conservative: a reader returns every row that
 * matches and may return others, so the caller still applies its own filter to the rows.
 *
 * <p>A column is named by its path: a top-level column, or fields of nested structs, by their
 * logical names (case-insensitive). Literals are Java values of the column's type (see the
 * package documentation); values compare in the order described there. Comparisons with a NULL
 * value are not true (SQL's three-valued logic), so only {@link IsNull} matches NULLs.
 */
public sealed interface Predicate {

  /** The comparison operators. */
  enum Op {
    EQ("="), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /** Whether {@code compare(value, literal)} satisfies this operator. */
    boolean test(int comparison) {
      return switch (this) {
        case EQ -> comparison == 0;
        case LT -> comparison < 0;
        case LE -> comparison <= 0;
        case GT -> comparison > 0;
        case GE -> comparison >= 0;
      };
    }

    @Override
    public String toString() {
      return symbol;
    }
  }

  /** {@code column op literal}. */
  record Comparison(List<String> column, Op op, Object literal) implements Predicate {
    public Comparison {
      column = columnPath(column);
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(literal, "literal (use IsNull to test for NULL)");
    }

    @Override
    public String toString() {
      return String.join(".", column) + " " + op + " " + literal;
    }
  }

  /** {@code column IS NULL}, or {@code column IS NOT NULL} when {@code negated}. */
  record IsNull(List<String> column, boolean negated) implements Predicate {
    public IsNull {
      column = columnPath(column);
    }

    @Override
    public String toString() {
      return String.join(".", column) + (negated ? " IS NOT NULL" : " IS NULL");
    }
  }

  /** Both predicates. */
  record And(Predicate left, Predicate right) implements Predicate {
    public And {
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public String toString() {
      return "(" + left + " AND " + right + ")";
    }
  }

  /** Either predicate. */
  record Or(Predicate left, Predicate right) implements Predicate {
    public Or {
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public String toString() {
      return "(" + left + " OR " + right + ")";
    }
  }

  /** {@code column op literal} for a top-level column. */
  static Predicate compare(String column, Op op, Object literal) {
    return new Comparison(List.of(column), op, literal);
  }

  static Predicate eq(String column, Object literal) {
    return compare(column, Op.EQ, literal);
  }

  static Predicate lt(String column, Object literal) {
    return compare(column, Op.LT, literal);
  }

  static Predicate le(String column, Object literal) {
    return compare(column, Op.LE, literal);
  }

  static Predicate gt(String column, Object literal) {
    return compare(column, Op.GT, literal);
  }

  static Predicate ge(String column, Object literal) {
    return compare(column, Op.GE, literal);
  }

  static Predicate isNull(String column) {
    return new IsNull(List.of(column), false);
  }

  static Predicate isNotNull(String column) {
    return new IsNull(List.of(column), true);
  }

  static Predicate and(Predicate left, Predicate right) {
    return new And(left, right);
  }

  static Predicate or(Predicate left, Predicate right) {
    return new Or(left, right);
  }

  private static List<String> columnPath(List<String> column) {
    List<String> path = List.copyOf(column);
    if (path.isEmpty()) {
      throw new IllegalArgumentException("a column path names at least one column");
    }
    return path;
  }
}
