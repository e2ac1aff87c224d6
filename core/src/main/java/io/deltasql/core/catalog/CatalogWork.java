package io.deltasql.core.catalog;

/**
 * Work done inside one catalog transaction. It may run more than once: when the catalog
 * database reports a transient conflict, the transaction is rolled back and the work runs
 * again, so it must not have effects outside the catalog.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface CatalogWork<T> {
  T run(CatalogTransaction transaction);
}
