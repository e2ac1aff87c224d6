package io.deltasql.core.data;

import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.PrimitiveType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link Aggregator} computes over the live rows of a table's files: one result row per
 * distinct value of the {@code groupBy} columns (NULLs form one group; with no column, one row
 * even over no rows), holding the group's values and then the result of each {@link Call}.
 * Columns are top-level columns of the table, data or partition columns, named as the table
 * names them.
 *
 * @param groupBy the grouping columns, possibly none
 * @param calls the aggregate functions, in the order of their results
 */
public record Aggregation(List<String> groupBy, List<Call> calls) {
  public Aggregation {
    groupBy = List.copyOf(groupBy);
    calls = List.copyOf(calls);
  }

  /** The aggregate functions, as SQL defines them over one group's rows. */
  public enum Function {
    /** {@code COUNT(*)}: the rows, a {@code Long}. */
    COUNT_ROWS,
    /** {@code COUNT(column)}: the rows where the column is not NULL, a {@code Long}. */
    COUNT,
    /**
     * {@code SUM(column)} of an integer column as a {@code Long} that fails with SQLState
     * {@code 22003} past the BIGINT range, of a DOUBLE column as a {@code Double}; NULL when no
     * value is not NULL. The values are added in the files' order, and in each file in row order.
     */
    SUM,
    /** {@code $SUM0(column)}: {@link #SUM}, but 0 (not NULL) when no value is not NULL. */
    SUM0,
    /** {@code MIN(column)} of an integer column, of the column's type; NULL when every value is NULL. */
    MIN,
    /** {@code MAX(column)} of an integer column, of the column's type; NULL when every value is NULL. */
    MAX
  }

  /**
   * One aggregate function over a column (none for {@link Function#COUNT_ROWS}).
   *
   * @param function the function
   * @param column the column it reads, empty for {@code COUNT(*)} only
   */
  public record Call(Function function, Optional<String> column) {
    public Call {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(column, "column");
      if (column.isPresent() == (function == Function.COUNT_ROWS)) {
        throw new IllegalArgumentException(function + " takes " + (column.isPresent() ? "no" : "one") + " column");
      }
    }

    /** {@code COUNT(*)}. */
    public static Call countRows() {
      return new Call(Function.COUNT_ROWS, Optional.empty());
    }

    /** {@code function(column)}. */
    public static Call of(Function function, String column) {
      return new Call(function, Optional.of(column));
    }

    /** The call in SQL: {@code COUNT(*)}, {@code SUM(qty)}, {@code $SUM0(qty)}. */
    @Override
    public String toString() {
      return switch (function) {
        case COUNT_ROWS -> "COUNT(*)";
        case SUM0 -> "$SUM0(" + column.get() + ")";
        default -> function + "(" + column.get() + ")";
      };
    }
  }

  /**
   * Whether an {@link Aggregator} can group by a column of this type: a primitive type other
   * than binary and variant (their values lack a value equality), or a decimal.
   */
  public static boolean canGroupBy(DataType type) {
    return type instanceof DecimalType
        || type instanceof PrimitiveType p && p != PrimitiveType.BINARY && p != PrimitiveType.VARIANT;
  }

  /**
   * Whether an {@link Aggregator} computes {@code function} over a column of this type:
   * {@code COUNT} over any primitive (but variant) or decimal column; {@code SUM} over integer
   * and DOUBLE columns; {@code MIN} and {@code MAX} over integer columns.
   */
  public static boolean canApply(Function function, DataType type) {
    return switch (function) {
      case COUNT_ROWS -> true;
      case COUNT -> type instanceof DecimalType || type instanceof PrimitiveType p && p != PrimitiveType.VARIANT;
      case SUM, SUM0 -> isInteger(type) || type == PrimitiveType.DOUBLE;
      case MIN, MAX -> isInteger(type);
    };
  }

  static boolean isInteger(DataType type) {
    return type == PrimitiveType.BYTE || type == PrimitiveType.SHORT || type == PrimitiveType.INTEGER
        || type == PrimitiveType.LONG;
  }
}
