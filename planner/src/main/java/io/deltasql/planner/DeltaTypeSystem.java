package io.deltasql.planner;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system widened to what Delta stores: decimals of up to 38 digits (Calcite's
 * default stops at 19), and sums of integers as BIGINT, as Delta (Spark) types them: Calcite's
 * default sums an INTEGER column into an INTEGER. Installed on every deltasql connection.
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
}
