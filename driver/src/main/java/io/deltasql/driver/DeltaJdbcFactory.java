package io.deltasql.driver;

import java.sql.Connection;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Properties;
import java.util.TimeZone;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaDatabaseMetaData;
import org.apache.calcite.avatica.AvaticaFactory;
import org.apache.calcite.avatica.AvaticaPreparedStatement;
import org.apache.calcite.avatica.AvaticaResultSet;
import org.apache.calcite.avatica.AvaticaSpecificDatabaseMetaData;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.UnregisteredDriver;
import org.apache.calcite.jdbc.CalciteFactory;
import org.apache.calcite.jdbc.CalciteJdbc41Factory;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.DeltaCalciteJdbc;

/**
 * Calcite's JDBC objects, but a {@link java.sql.DatabaseMetaData} that tells tools the truth
 * about deltasql's transactions (Avatica's says there are none, so tools would hide commit and
 * rollback), and the connection and prepared statements of {@link DeltaCalciteJdbc}: a SQLState on
 * every failure to prepare, parameters checked before they run, batches that fail with a
 * {@link java.sql.BatchUpdateException}. Everything else is Calcite's.
 */
public final class DeltaJdbcFactory extends CalciteFactory {
  private final CalciteJdbc41Factory calcite = new CalciteJdbc41Factory();

  public DeltaJdbcFactory() {
    super(4, 1);
  }

  @Override
  public AvaticaConnection newConnection(UnregisteredDriver driver, AvaticaFactory factory, String url,
      Properties info, CalciteSchema rootSchema, JavaTypeFactory typeFactory) {
    return DeltaCalciteJdbc.newConnection(driver, this, url, info, rootSchema, typeFactory);
  }

  @Override
  public AvaticaStatement newStatement(AvaticaConnection connection, Meta.StatementHandle h, int resultSetType,
      int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    return calcite.newStatement(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
  }

  @Override
  public AvaticaPreparedStatement newPreparedStatement(AvaticaConnection connection, Meta.StatementHandle h,
      Meta.Signature signature, int resultSetType, int resultSetConcurrency, int resultSetHoldability)
      throws SQLException {
    return DeltaCalciteJdbc.newPreparedStatement(connection, h, signature, resultSetType, resultSetConcurrency,
        resultSetHoldability);
  }

  @Override
  public AvaticaResultSet newResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
      TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
    return calcite.newResultSet(statement, state, signature, timeZone, firstFrame);
  }

  @Override
  public ResultSetMetaData newResultSetMetaData(AvaticaStatement statement, Meta.Signature signature)
      throws SQLException {
    return calcite.newResultSetMetaData(statement, signature);
  }

  @Override
  public AvaticaSpecificDatabaseMetaData newDatabaseMetaData(AvaticaConnection connection) {
    return new TransactionalMetaData(connection);
  }

  /** Transactions of DML at three isolation levels; DDL is refused inside them. */
  private static final class TransactionalMetaData extends AvaticaDatabaseMetaData {
    TransactionalMetaData(AvaticaConnection connection) {
      super(connection);
    }

    /** The connection's URL with its credentials masked ({@link ConnectionUrl#redact}). */
    @Override
    public String getURL() throws java.sql.SQLException {
      return ConnectionUrl.redact(super.getURL());
    }

    @Override
    public boolean supportsTransactions() {
      return true;
    }

    @Override
    public boolean supportsTransactionIsolationLevel(int level) {
      return level == Connection.TRANSACTION_READ_UNCOMMITTED || level == Connection.TRANSACTION_READ_COMMITTED
          || level == Connection.TRANSACTION_REPEATABLE_READ || level == Connection.TRANSACTION_SERIALIZABLE;
    }

    @Override
    public int getDefaultTransactionIsolation() {
      return Connection.TRANSACTION_READ_COMMITTED;
    }

    @Override
    public boolean supportsMultipleTransactions() {
      return true;
    }

    @Override
    public boolean supportsDataManipulationTransactionsOnly() {
      return true;
    }

    @Override
    public boolean supportsDataDefinitionAndDataManipulationTransactions() {
      return false;
    }
  }
}
