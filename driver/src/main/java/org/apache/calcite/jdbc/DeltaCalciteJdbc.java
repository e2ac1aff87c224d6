package org.apache.calcite.jdbc;

import io.deltasql.driver.JdbcErrors;
import io.deltasql.planner.DeltaConformance;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaSite;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.sql.validate.SqlConformance;

/**
 * Calcite's connection and prepared statement (package-private classes, hence this package), as
 * Calcite's JDBC 4.1 factory makes them, with an SQLState on the two errors they raise without one: a statement that cannot
 * be prepared ({@code Connection.prepareStatement}: its cause decides, as in
 * {@link JdbcErrors}), and a parameter index out of range ({@code 22023}, as pgjdbc); and a
 * failed batch thrown as the {@link BatchUpdateException} JDBC asks for. (The values bound to a
 * prepared statement are checked in the meta, {@code DeltaMeta}, for embedded and remote clients
 * alike.)
 */
public final class DeltaCalciteJdbc {
  private DeltaCalciteJdbc() {}

  public static AvaticaConnection newConnection(UnregisteredDriver driver, AvaticaFactory factory, String url,
      Properties info, CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
    return new Connection((Driver) driver, factory, url, info, rootSchema, typeFactory);
  }

  public static AvaticaPreparedStatement newPreparedStatement(AvaticaConnection connection, Meta.StatementHandle h,
      Meta.Signature signature, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    return new PreparedStatement((CalciteConnectionImpl) connection, h, (CalcitePrepare.CalciteSignature<?>) signature,
        resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  private static final class Connection extends CalciteConnectionImpl {
    Connection(Driver driver, AvaticaFactory factory, String url, Properties info, CalciteSchema rootSchema,
        JavaTypeFactory typeFactory) {
      super(driver, factory, url, info, rootSchema, typeFactory);
    }

    /** Calcite's configuration of the connection's properties, with checked integer arithmetic. */
    @Override
    public CalciteConnectionConfig config() {
      return new CalciteConnectionConfigImpl(info) {
        @Override
        public SqlConformance conformance() {
          return DeltaConformance.checked(super.conformance());
        }
      };
    }

    @Override
    public CalcitePreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
        int resultSetHoldability) throws SQLException {
      try {
        return super.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability);
      } catch (SQLException e) {
        if (e.getSQLState() != null || e.getCause() == null) {
          throw e.getSQLState() != null ? e : JdbcErrors.toSqlException(e);
        }
        // "Error while preparing statement [...]" around the parse, validation or planning error
        throw JdbcErrors.toSqlException(e.getCause());
      } catch (StackOverflowError e) {
        throw JdbcErrors.toSqlException(e);
      }
    }
  }

  private static final class PreparedStatement extends CalcitePreparedStatement {
    PreparedStatement(CalciteConnectionImpl connection, Meta.StatementHandle h,
        CalcitePrepare.CalciteSignature<?> signature, int resultSetType, int resultSetConcurrency,
        int resultSetHoldability) throws SQLException {
      super(connection, h, signature, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    /**
     * Avatica wraps whatever {@code Meta.executeBatch} throws into a plain SQLException; the
     * meta throws a {@link BatchUpdateException} (its SQLState, and the update counts of the
     * parameter sets done before the failure), and this hands that one to the caller.
     */
    @Override
    public long[] executeLargeBatch() throws SQLException {
      try {
        return super.executeLargeBatch();
      } catch (SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
          if (t instanceof BatchUpdateException batch) {
            throw batch;
          }
        }
        throw e;
      }
    }

    @Override
    protected AvaticaSite getSite(int param) throws SQLException {
      if (param < 1 || param > slots.length) {
        throw new SQLException("Parameter index " + param + " is out of range: the statement has " + slots.length
            + " parameter(s), numbered from 1", "22023");
      }
      return super.getSite(param);
    }
  }
}
