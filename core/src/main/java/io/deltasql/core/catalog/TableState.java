package io.deltasql.core.catalog;

import java.util.Objects;

/**
 * A table's catalog row together with how many of its versions are not yet in its
 * {@code _delta_log} (pending or failed), both read by one statement: what a commit
 * validates against (the version of the cut, divergence, the mirror's backlog).
 *
 * @param info the table's row, with its current version at the statement's instant
 * @param unmirroredVersions versions whose mirror status is {@code PENDING} or {@code FAILED}
 */
public record TableState(TableInfo info, long unmirroredVersions) {
  public TableState {
    Objects.requireNonNull(info, "info");
  }
}
