package io.deltasql.core.catalog;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The actions of one commit grouped by kind, each with its position ({@code seq}) in the
 * commit, after checking the rules of the Delta protocol that the catalog relies on: one
 * add and one remove per path at most, never the same logical file both added and
 * removed, one protocol, metadata and commitInfo at most, protocol and metadata in
 * version 0.
 */
record CommitActions(
    Optional<Positioned<Protocol>> protocol,
    Optional<Positioned<Metadata>> metadata,
    Optional<Positioned<CommitInfo>> commitInfo,
    List<Positioned<AddFile>> adds,
    List<Positioned<RemoveFile>> removes,
    List<Positioned<SetTransaction>> txns,
    List<Positioned<DomainMetadata>> domains,
    List<Positioned<AddCdcFile>> cdcFiles,
    int size) {

  /** An action and its position in the commit. */
  record Positioned<A>(int seq, A action) {}

  /** Groups and checks {@code actions}, the commit of {@code version} to {@code table}. */
  static CommitActions of(TableInfo table, long version, List<Action> actions) {
    if (actions.isEmpty()) {
      throw CatalogErrors.invalidCommit(table, version, "a commit needs at least one action");
    }
    Positioned<Protocol> protocol = null;
    Positioned<Metadata> metadata = null;
    Positioned<CommitInfo> commitInfo = null;
    List<Positioned<AddFile>> adds = new ArrayList<>();
    List<Positioned<RemoveFile>> removes = new ArrayList<>();
    List<Positioned<SetTransaction>> txns = new ArrayList<>();
    List<Positioned<DomainMetadata>> domains = new ArrayList<>();
    List<Positioned<AddCdcFile>> cdcFiles = new ArrayList<>();
    for (int seq = 0; seq < actions.size(); seq++) {
      Action action = actions.get(seq);
      if (action instanceof Protocol p) {
        protocol = single(table, version, protocol, new Positioned<>(seq, p));
      } else if (action instanceof Metadata m) {
        metadata = single(table, version, metadata, new Positioned<>(seq, m));
      } else if (action instanceof CommitInfo c) {
        commitInfo = single(table, version, commitInfo, new Positioned<>(seq, c));
      } else if (action instanceof AddFile a) {
        adds.add(new Positioned<>(seq, a));
      } else if (action instanceof RemoveFile r) {
        removes.add(new Positioned<>(seq, r));
      } else if (action instanceof SetTransaction t) {
        txns.add(new Positioned<>(seq, t));
      } else if (action instanceof DomainMetadata d) {
        domains.add(new Positioned<>(seq, d));
      } else if (action instanceof AddCdcFile c) {
        cdcFiles.add(new Positioned<>(seq, c));
      } else {
        throw CatalogErrors.invalidCommit(table, version, "a " + action.key()
            + " action belongs in a checkpoint, not in a commit");
      }
    }
    if (version == 0 && (protocol == null || metadata == null)) {
      throw CatalogErrors.invalidCommit(table, version, "version 0 must contain a protocol and a metaData action");
    }
    checkFiles(table, version, adds, removes);
    checkUnique(table, version, txns.stream().map(t -> t.action().appId()).toList(), "txn actions for application");
    checkUnique(table, version, domains.stream().map(d -> d.action().domain()).toList(), "domainMetadata actions for domain");
    return new CommitActions(Optional.ofNullable(protocol), Optional.ofNullable(metadata),
        Optional.ofNullable(commitInfo), List.copyOf(adds), List.copyOf(removes), List.copyOf(txns),
        List.copyOf(domains), List.copyOf(cdcFiles), actions.size());
  }

  private static <A extends Action> Positioned<A> single(TableInfo table, long version, Positioned<A> previous,
      Positioned<A> next) {
    if (previous != null) {
      throw CatalogErrors.invalidCommit(table, version, "it has more than one " + next.action().key() + " action");
    }
    return next;
  }

  private static void checkFiles(TableInfo table, long version, List<Positioned<AddFile>> adds,
      List<Positioned<RemoveFile>> removes) {
    Set<String> addedPaths = new HashSet<>();
    Set<FileKey> addedKeys = new HashSet<>();
    for (Positioned<AddFile> add : adds) {
      if (!addedPaths.add(add.action().path())) {
        throw CatalogErrors.invalidCommit(table, version, "path " + add.action().path()
            + " is added twice (the Delta protocol allows one add per path in a commit)");
      }
      addedKeys.add(add.action().fileKey());
    }
    Set<String> removedPaths = new HashSet<>();
    for (Positioned<RemoveFile> remove : removes) {
      if (!removedPaths.add(remove.action().path())) {
        throw CatalogErrors.invalidCommit(table, version, "path " + remove.action().path()
            + " is removed twice (the Delta protocol allows one remove per path in a commit)");
      }
      FileKey key = remove.action().fileKey();
      if (addedKeys.contains(key)) {
        throw CatalogErrors.invalidCommit(table, version, "file " + key.path()
            + key.deletionVectorId().map(id -> " with deletion vector " + id).orElse("")
            + " is both added and removed (only a different deletion vector may be added in the same commit)");
      }
    }
  }

  private static void checkUnique(TableInfo table, long version, List<String> names, String what) {
    Set<String> seen = new HashSet<>();
    for (String name : names) {
      if (!seen.add(name)) {
        throw CatalogErrors.invalidCommit(table, version, "it has two " + what + " " + name);
      }
    }
  }
}
