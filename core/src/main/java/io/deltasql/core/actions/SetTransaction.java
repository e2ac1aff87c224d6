package io.deltasql.core.actions;

import java.util.Objects;
import java.util.Optional;

/** The {@code txn} action: the latest version an application (a stream) has committed. */
public record SetTransaction(String appId, long version, Optional<Long> lastUpdated) implements Action {
  public SetTransaction {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(lastUpdated, "lastUpdated");
  }

  @Override
  public String key() {
    return "txn";
  }
}
