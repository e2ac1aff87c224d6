package io.deltasql.driver;

import io.deltasql.core.txn.IsolationLevel;
import io.deltasql.planner.DeltaPrepare;
import io.deltasql.planner.DeltaSession;
import io.deltasql.planner.Sessions;
import java.util.Iterator;
import java.util.List;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalciteMetaBridge;
import org.apache.calcite.jdbc.CalciteSchema;

/**
 * Calcite's meta with deltasql's transactions: {@code commit}, {@code rollback} and the
 * connection's auto-commit, isolation and read-only settings go to the connection's
 * {@link DeltaSession}; every failure leaves as a {@link java.sql.SQLException} with its
 * SQLState ({@link JdbcErrors}), including the {@link ExceptionInInitializerError} of a generated
 * class whose constant (a bad {@code CAST('x' AS DATE)}) fails when it is first run.
 */
final class DeltaMeta extends CalciteMetaBridge {
  DeltaMeta(AvaticaConnection connection) {
    super(connection);
  }

  /** The connection's session (attached when the connection was initialised, after this meta). */
  private DeltaSession session() {
    return Sessions.of(((CalciteConnection) connection).getRootSchema());
  }

  /** No catalogs: tables are named {@code schema.table} (Calcite's root has no name). */
  @Override
  public MetaResultSet getCatalogs(ConnectionHandle ch) {
    return createEmptyResultSet(MetaCatalog.class);
  }

  @Override
  public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern) {
    refreshSchemas();
    return super.getSchemas(ch, catalog, schemaPattern);
  }

  @Override
  public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      List<String> typeList) {
    refreshSchemas();
    return withoutHiddenTables(super.getTables(ch, catalog, schemaPattern, tableNamePattern, typeList));
  }

  @Override
  public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern,
      Pat columnNamePattern) {
    refreshSchemas();
    return super.getColumns(ch, catalog, schemaPattern, tableNamePattern, columnNamePattern);
  }

  /** Tables of hidden names ({@code $rows$t}, {@code $v3$t}) are the planner's, not the user's. */
  private MetaResultSet withoutHiddenTables(MetaResultSet tables) {
    if (tables.firstFrame == null) {
      return tables;
    }
    List<Object> rows = new java.util.ArrayList<>();
    for (Object row : tables.firstFrame.rows) {
      if (!(row instanceof org.apache.calcite.avatica.MetaImpl.MetaTable table && table.tableName.startsWith("$"))) {
        rows.add(row);
      }
    }
    return MetaResultSet.create(tables.connectionId, tables.statementId, tables.ownStatement, tables.signature,
        Frame.create(tables.firstFrame.offset, tables.firstFrame.done, rows));
  }

  /** Schemas created or dropped since the last statement (by any connection) show up. */
  private void refreshSchemas() {
    try {
      DeltaPrepare.attachSchemas(session(), CalciteSchema.from(((CalciteConnection) connection).getRootSchema()));
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public void commit(ConnectionHandle ch) {
    try {
      session().commit();
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public void rollback(ConnectionHandle ch) {
    try {
      session().rollback();
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties props) {
    try {
      if (props.isAutoCommit() != null) {
        session().setAutoCommit(props.isAutoCommit());
      }
      // Remote clients sync TRANSACTION_NONE (0) as "not set": it changes nothing.
      if (props.getTransactionIsolation() != null && props.getTransactionIsolation() != java.sql.Connection.TRANSACTION_NONE) {
        session().setIsolation(IsolationLevel.fromJdbc(props.getTransactionIsolation()));
      }
      if (props.isReadOnly() != null) {
        session().setReadOnly(props.isReadOnly());
      }
      return super.connectionSync(ch, props);
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    try {
      return super.prepare(ch, sql, maxRowCount);
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
      PrepareCallback callback) throws NoSuchStatementException {
    try {
      return super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame, callback);
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    try {
      return super.prepareAndExecuteBatch(h, sqlCommands);
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    try {
      return super.executeBatch(h, parameterValues);
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  @Override
  public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
      throws NoSuchStatementException {
    try {
      return super.execute(h, parameterValues, maxRowsInFirstFrame);
    } catch (RuntimeException | ExceptionInInitializerError e) {
      // Avatica wraps this one (a prepared statement's execution) and keeps only its SQLState.
      throw JdbcErrors.keepingState(e);
    }
  }

  @Override
  public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount) throws NoSuchStatementException {
    try {
      return super.fetch(h, offset, fetchMaxRowCount);
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw JdbcErrors.rethrow(e);
    }
  }

  /** Rows whose failures, when the result set reads them, carry their SQLState too. */
  @Override
  public Iterable<Object> createIterable(StatementHandle handle, QueryState state, Signature signature,
      List<TypedValue> parameters, Frame firstFrame) {
    Iterable<Object> rows;
    try {
      rows = super.createIterable(handle, state, signature, parameters, firstFrame);
    } catch (RuntimeException | ExceptionInInitializerError e) {
      throw JdbcErrors.rethrow(e);
    }
    return () -> {
      Iterator<Object> it = rows.iterator();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          try {
            return it.hasNext();
          } catch (RuntimeException | ExceptionInInitializerError e) {
            throw JdbcErrors.rethrow(e);
          }
        }

        @Override
        public Object next() {
          try {
            return it.next();
          } catch (RuntimeException | ExceptionInInitializerError e) {
            throw JdbcErrors.rethrow(e);
          }
        }
      };
    };
  }
}
