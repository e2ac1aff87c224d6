package io.deltasql.core.table;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.SetTransaction;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of a Delta table at one version: what log replay produces, and what the
 * catalog answers without replay. Two snapshots of the same table at the same version
 * are equal whichever source computed them (files are compared as a set keyed by
 * {@link FileKey}).
 *
 * @param version the table version
 * @param timestamp the commit timestamp of that version in ms (in-commit timestamp when
 *     the table has one, else the commit's file modification time or commitInfo time)
 * @param protocol the protocol in force
 * @param metadata the metadata in force
 * @param files the active files, keyed by (path, deletion vector id); each carries
 *     {@code dataChange=false}, as in a checkpoint: whether adding a file changed data is a
 *     property of the commit that added it, not of the table's state. Held as an immutable
 *     {@link FileMap} (a given one as it is, any other map copied), in no particular order
 * @param appTransactions latest {@code txn} per application id
 * @param domains live (not removed) domain metadata per domain
 */
public record Snapshot(
    long version,
    long timestamp,
    Protocol protocol,
    Metadata metadata,
    Map<FileKey, AddFile> files,
    Map<String, SetTransaction> appTransactions,
    Map<String, DomainMetadata> domains) {

  public Snapshot {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(metadata, "metadata");
    // a FileMap is kept as it is (an advanced snapshot shares its base's), any other map copied
    files = FileMap.copyOf(files);
    appTransactions = Map.copyOf(appTransactions);
    domains = Map.copyOf(domains);
  }

  /** The active files in no particular order. */
  public List<AddFile> activeFiles() {
    return List.copyOf(files.values());
  }

  /** The active file with this key, if any. */
  public Optional<AddFile> file(FileKey key) {
    return Optional.ofNullable(files.get(key));
  }
}
