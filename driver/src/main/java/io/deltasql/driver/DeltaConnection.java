package io.deltasql.driver;

import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.jdbc.CalciteConnectionBridge;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.Driver;

/**
 * Calcite's connection, except that {@code prepareStatement} fails with the SQLState of its
 * cause ({@link JdbcErrors}), as executing the same statement does: an unknown table is
 * {@code 42P01}, a lost catalog connection {@code 08000}, not a SQLException without a state.
 */
final class DeltaConnection extends CalciteConnectionBridge {
  DeltaConnection(Driver driver, AvaticaFactory factory, String url, Properties info, CalciteSchema rootSchema,
      JavaTypeFactory typeFactory) {
    super(driver, factory, url, info, rootSchema, typeFactory);
  }

  @Override
  protected SQLException prepareFailed(SQLException e) {
    if (e.getSQLState() != null || e.getCause() == null) {
      return e;
    }
    return JdbcErrors.toSqlException(e.getCause());
  }
}
