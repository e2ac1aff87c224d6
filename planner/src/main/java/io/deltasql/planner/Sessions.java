package io.deltasql.planner;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import org.apache.calcite.DataContext;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.SchemaPlus;

/** Finds the session of a connection from its root schema, where {@link SysSchema} holds it. */
public final class Sessions {
  private Sessions() {}

  /** The session of the connection that runs {@code root}. */
  public static DeltaSession of(DataContext root) {
    return of(root.getRootSchema());
  }

  /** The session of the connection whose root schema this is. */
  public static DeltaSession of(SchemaPlus root) {
    return of(CalciteSchema.from(root).root());
  }

  /** The session of the connection whose root schema this is. */
  public static DeltaSession of(CalciteSchema root) {
    CalciteSchema sys = root.root().getSubSchema(SysSchema.NAME, true);
    if (sys == null || !(sys.schema instanceof SysSchema schema)) {
      throw new DeltaException(SqlState.INTERNAL_ERROR, "Not a deltasql connection: no '" + SysSchema.NAME + "' schema");
    }
    return schema.session();
  }
}
