package org.apache.calcite.jdbc;

import org.apache.calcite.avatica.AvaticaConnection;

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
}
