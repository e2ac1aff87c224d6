package io.deltasql.planner;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system widened to what Delta stores: decimals of up to 38 digits (Calcite's
 * default stops at 19), sums of integers as BIGINT and their averages as DOUBLE, as Delta
 * (Spark) types them, where Calcite's default sums and averages an INTEGER column into an
 * INTEGER. Installed on every deltasql connection.
 */
public final class DeltaTypeSystem extends RelDataTypeSystemImpl {
  /** The instance named by the connection's {@code typeSystem} property. */
  public static final DeltaTypeSystem INSTANCE = new DeltaTypeSystem();

  private DeltaTypeSystem() {}

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxPrecision(typeName);
  }

  @Override
  public int getMaxScale(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? 38 : super.getMaxScale(typeName);
  }

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? 38 : super.getDefaultPrecision(typeName);
  }

  /** {@code SUM} of a TINYINT, SMALLINT, INTEGER or BIGINT is a BIGINT (overflow checked, see {@link CheckedArithmetic}). */
  @Override
  public RelDataType deriveSumType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    return switch (argumentType.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT -> typeFactory.createTypeWithNullability(
          typeFactory.createSqlType(SqlTypeName.BIGINT), argumentType.isNullable());
      default -> super.deriveSumType(typeFactory, argumentType);
    };
  }

  /**
   * {@code AVG} types as in Delta (Spark): of an integer or floating-point argument a DOUBLE (Calcite's
   * default keeps the argument's type, so the average of 1 and 2 was 1), of a DECIMAL(p, s) a
   * DECIMAL(p + 4, s + 4), both at most 38. Integer averages are summed as DOUBLE values
   * ({@link Averages}), DECIMAL averages divided exactly ({@link DecimalAverage}).
   */
  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory typeFactory, RelDataType argumentType) {
    RelDataType type = switch (argumentType.getSqlTypeName()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT, FLOAT, REAL, DOUBLE -> typeFactory.createSqlType(SqlTypeName.DOUBLE);
      case DECIMAL -> typeFactory.createSqlType(SqlTypeName.DECIMAL,
          Math.min(38, argumentType.getPrecision() + 4), Math.min(38, argumentType.getScale() + 4));
      default -> null;
    };
    return type == null ? super.deriveAvgAggType(typeFactory, argumentType)
        : typeFactory.createTypeWithNullability(type, argumentType.isNullable());
  }
}
