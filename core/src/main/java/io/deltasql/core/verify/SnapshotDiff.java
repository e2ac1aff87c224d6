package io.deltasql.core.verify;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.table.Snapshot;
import io.deltasql.core.verify.VerifyFinding.Kind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Compares two states of one table at one version: the catalog's and one read from the log. */
final class SnapshotDiff {
  private SnapshotDiff() {}

  /**
   * Every difference of protocol, metadata, active files (one finding per file), {@code txn}
   * and domain metadata, and of the timestamp when {@code timestamps}; {@code source} names
   * what the log side was read from.
   */
  static List<VerifyFinding> compare(Kind kind, long version, String source, Snapshot catalog, Snapshot log,
      boolean timestamps) {
    List<VerifyFinding> findings = new ArrayList<>();
    if (!catalog.protocol().equals(log.protocol())) {
      findings.add(VerifyFinding.of(kind, version, source,
          "protocol differs: " + Differences.describe(catalog.protocol(), log.protocol())));
    }
    if (!catalog.metadata().equals(log.metadata())) {
      findings.add(VerifyFinding.of(kind, version, source,
          "metadata differs: " + Differences.describe(catalog.metadata(), log.metadata())));
    }
    compareFiles(kind, version, source, catalog.files(), log.files(), findings);
    compareMaps(kind, version, source, "txn of application", catalog.appTransactions(), log.appTransactions(),
        findings);
    compareMaps(kind, version, source, "domainMetadata of domain", catalog.domains(), log.domains(), findings);
    if (timestamps && catalog.timestamp() != log.timestamp()) {
      findings.add(VerifyFinding.of(kind, version, source, "timestamp differs: catalog=" + catalog.timestamp()
          + " log=" + log.timestamp()));
    }
    return findings;
  }

  private static void compareFiles(Kind kind, long version, String source, Map<FileKey, AddFile> catalog,
      Map<FileKey, AddFile> log, List<VerifyFinding> findings) {
    Set<FileKey> keys = new LinkedHashSet<>(catalog.keySet());
    keys.addAll(log.keySet());
    for (FileKey key : keys) {
      AddFile a = catalog.get(key);
      AddFile b = log.get(key);
      String file = "active file" + key.deletionVectorId().map(id -> " (deletion vector " + id + ")").orElse("");
      if (b == null) {
        findings.add(VerifyFinding.of(kind, version, key.path(), file + " of the catalog is not active in " + source));
      } else if (a == null) {
        findings.add(VerifyFinding.of(kind, version, key.path(), file + " of " + source + " is not active in the catalog"));
      } else if (!a.equals(b)) {
        findings.add(VerifyFinding.of(kind, version, key.path(), file + " differs: " + Differences.describe(a, b)));
      }
    }
  }

  private static <V> void compareMaps(Kind kind, long version, String source, String what, Map<String, V> catalog,
      Map<String, V> log, List<VerifyFinding> findings) {
    Set<String> keys = new LinkedHashSet<>(catalog.keySet());
    keys.addAll(log.keySet());
    for (String key : keys) {
      V a = catalog.get(key);
      V b = log.get(key);
      if (!Objects.equals(a, b)) {
        findings.add(VerifyFinding.of(kind, version, source, what + " '" + key + "' differs: "
            + Differences.describe(a, b)));
      }
    }
  }
}
