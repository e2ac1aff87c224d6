package io.deltasql.planner;

import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system widened to what Delta stores: decimals of up to 38 digits (Calcite's
 * default stops at 19). Installed on every deltasql connection.
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
}
