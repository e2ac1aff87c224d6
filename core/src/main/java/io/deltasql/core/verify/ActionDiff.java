package io.deltasql.core.verify;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.verify.VerifyFinding.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the actions of one version as the catalog holds them with those of its commit
 * file. Actions are matched by identity (the kind, and the file key, application id or
 * domain), not by position: the order of a commit's lines carries no meaning except that
 * {@code commitInfo} comes first, which the mirror always writes.
 */
final class ActionDiff {
  private ActionDiff() {}

  static List<VerifyFinding> compare(long version, String commitPath, List<Action> catalog, List<Action> log) {
    Map<String, List<Action>> wanted = byIdentity(catalog);
    Map<String, List<Action>> found = byIdentity(log);
    Set<String> identities = new LinkedHashSet<>(wanted.keySet());
    identities.addAll(found.keySet());
    List<VerifyFinding> findings = new ArrayList<>();
    for (String identity : identities) {
      List<Action> a = wanted.getOrDefault(identity, List.of());
      List<Action> b = found.getOrDefault(identity, List.of());
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        if (i >= b.size()) {
          findings.add(finding(Kind.ACTION_MISSING, version, commitPath, a.get(i),
              identity + " is in the catalog's version but not in " + commitPath));
        } else if (i >= a.size()) {
          findings.add(finding(Kind.ACTION_EXTRA, version, commitPath, b.get(i),
              identity + " is in " + commitPath + " but not in the catalog's version"));
        } else if (!a.get(i).equals(b.get(i))) {
          findings.add(finding(Kind.ACTION_DIFFERS, version, commitPath, a.get(i),
              identity + " differs: " + Differences.describe(a.get(i), b.get(i))));
        }
      }
    }
    return findings;
  }

  private static VerifyFinding finding(Kind kind, long version, String commitPath, Action action, String detail) {
    return VerifyFinding.of(kind, version, filePath(action).orElse(commitPath), detail);
  }

  private static java.util.Optional<String> filePath(Action action) {
    if (action instanceof AddFile add) {
      return java.util.Optional.of(add.path());
    }
    if (action instanceof RemoveFile remove) {
      return java.util.Optional.of(remove.path());
    }
    if (action instanceof AddCdcFile cdc) {
      return java.util.Optional.of(cdc.path());
    }
    return java.util.Optional.empty();
  }

  /** The actions grouped by identity, in order of first appearance. */
  private static Map<String, List<Action>> byIdentity(List<Action> actions) {
    Map<String, List<Action>> grouped = new LinkedHashMap<>();
    for (Action action : actions) {
      grouped.computeIfAbsent(identity(action), k -> new ArrayList<>()).add(action);
    }
    return grouped;
  }

  private static String identity(Action action) {
    if (action instanceof AddFile add) {
      return "add " + fileKey(add.path(), add.fileKey().deletionVectorId());
    }
    if (action instanceof RemoveFile remove) {
      return "remove " + fileKey(remove.path(), remove.fileKey().deletionVectorId());
    }
    if (action instanceof AddCdcFile cdc) {
      return "cdc '" + cdc.path() + "'";
    }
    if (action instanceof SetTransaction txn) {
      return "txn of application '" + txn.appId() + "'";
    }
    if (action instanceof DomainMetadata domain) {
      return "domainMetadata of domain '" + domain.domain() + "'";
    }
    return action.key();
  }

  private static String fileKey(String path, java.util.Optional<String> deletionVectorId) {
    return "'" + path + "'" + deletionVectorId.map(id -> " (deletion vector " + id + ")").orElse("");
  }
}
