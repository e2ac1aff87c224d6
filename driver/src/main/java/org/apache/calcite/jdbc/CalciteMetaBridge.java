package org.apache.calcite.jdbc;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.NoSuchStatementException;

/**
 * Calcite's {@link CalciteMetaImpl} for a subclass outside Calcite's package: its constructor
 * takes the (package-private) connection class. deltasql's meta extends this, as Calcite's
 * documentation suggests for drivers built on Calcite ("our meta overrides commit/rollback").
 */
public abstract class CalciteMetaBridge extends CalciteMetaImpl {
  protected CalciteMetaBridge(AvaticaConnection connection) {
    super((CalciteConnectionImpl) connection, CalciteMetaTableFactoryImpl.INSTANCE,
        CalciteMetaColumnFactoryImpl.INSTANCE);
  }

  /**
   * The signature a statement was prepared with (a batch's handle from Avatica may not carry
   * it), or null if none was prepared.
   */
  protected Signature preparedSignature(StatementHandle h) throws NoSuchStatementException {
    return getConnection().server.getStatement(h).getSignature();
  }
}
