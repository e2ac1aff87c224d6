package io.deltasql.planner;

import org.apache.calcite.sql.validate.SqlConformance;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * The connection's SQL conformance (LENIENT unless the user names another) with Calcite's
 * checked arithmetic: integer {@code + - * /} and unary minus become Calcite's {@code CHECKED_*}
 * operators ({@code ConvertToChecked}, which Calcite runs on every statement it converts), so
 * an out-of-range result raises {@code 22003} instead of wrapping around. {@code ABS} and
 * {@code SUM}, which Calcite leaves unchecked, are rewritten by {@link CheckedArithmetic}.
 */
public final class DeltaConformance extends SqlDelegatingConformance {
  private DeltaConformance(SqlConformance delegate) {
    super(delegate);
  }

  /** {@code conformance} with checked arithmetic (itself if it already has it). */
  public static SqlConformance checked(SqlConformance conformance) {
    return conformance.checkedArithmetic() ? conformance : new DeltaConformance(conformance);
  }

  @Override
  public boolean checkedArithmetic() {
    return true;
  }
}
