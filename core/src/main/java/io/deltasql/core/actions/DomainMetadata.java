package io.deltasql.core.actions;

import java.util.Objects;

/** The {@code domainMetadata} action: configuration of a named metadata domain. */
public record DomainMetadata(String domain, String configuration, boolean removed) implements Action {
  public DomainMetadata {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(configuration, "configuration");
  }

  @Override
  public String key() {
    return "domainMetadata";
  }
}
