package io.deltasql.core.verify;

import io.deltasql.core.catalog.TableInfo;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@link TableVerifier} found for one table: every difference, not only the first.
 *
 * @param table the table as the catalog showed it when verification started
 * @param logLatestVersion the newest version in {@code _delta_log}, {@code -1} when it has none
 * @param findings every difference, in the order found (catalog state, versions oldest first,
 *     checkpoints, {@code _last_checkpoint}, latest snapshot)
 */
public record VerifyReport(TableInfo table, long logLatestVersion, List<VerifyFinding> findings) {
  public VerifyReport {
    Objects.requireNonNull(table, "table");
    findings = List.copyOf(findings);
  }

  /** Whether the catalog and the log agree in everything checked. */
  public boolean clean() {
    return findings.isEmpty();
  }

  /** The kinds of the findings. */
  public Set<VerifyFinding.Kind> kinds() {
    return findings.stream().map(VerifyFinding::kind).collect(Collectors.toCollection(
        () -> java.util.EnumSet.noneOf(VerifyFinding.Kind.class)));
  }

  /** The findings of one kind. */
  public List<VerifyFinding> findings(VerifyFinding.Kind kind) {
    return findings.stream().filter(f -> f.kind() == kind).toList();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(table.qualifiedName()).append(" catalogVersion=")
        .append(table.currentVersion()).append(" logVersion=").append(logLatestVersion)
        .append(clean() ? " clean" : " findings=" + findings.size());
    findings.forEach(f -> s.append("\n  ").append(f));
    return s.toString();
  }
}
