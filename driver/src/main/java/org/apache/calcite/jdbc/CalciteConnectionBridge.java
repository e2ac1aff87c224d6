package org.apache.calcite.jdbc;

import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaFactory;

/**
 * Calcite's (package-private) connection for a subclass outside Calcite's package, with one
 * hook: Calcite wraps whatever fails while {@code Connection.prepareStatement} plans a statement
 * into a {@code SQLException} without a SQLState ("Error while preparing statement"), so the
 * subclass chooses the exception to throw instead ({@link #prepareFailed}).
 */
public abstract class CalciteConnectionBridge extends CalciteConnectionImpl {
  protected CalciteConnectionBridge(Driver driver, AvaticaFactory factory, String url, Properties info,
      CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
    super(driver, factory, url, info, rootSchema, typeFactory);
  }

  @Override
  public CalcitePreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
      int resultSetHoldability) throws SQLException {
    try {
      return super.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
    } catch (SQLException e) {
      throw prepareFailed(e);
    }
  }

  /** The exception to throw for Calcite's failure {@code e} to prepare a statement. */
  protected abstract SQLException prepareFailed(SQLException e);
}
