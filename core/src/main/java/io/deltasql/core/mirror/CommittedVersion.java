package io.deltasql.core.mirror;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.Metadata;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A version the catalog has just committed, handed to the mirror by its committer.
 *
 * <p>When the committer still holds the version's actions exactly as the catalog stored
 * them ({@link io.deltasql.core.catalog.CommitRequest#actionsCommittedAt}), and the
 * metadata in force at the version, the mirror writes the commit file from them instead of
 * reading the version back. Without them (a retried commit that found itself already
 * recorded, say) the mirror reads the version from the catalog. Either way the catalog's
 * copy stays the source of truth: a commit file that exists with other content is judged
 * against the catalog's copy before the table is called diverged.
 *
 * @param tableId the table
 * @param version the committed version
 * @param commitTimestamp its in-commit timestamp (ms), as the catalog recorded it
 * @param txnId the committing transaction (for logs)
 * @param actions the version's actions in commit order ({@code commitInfo} first), if held
 * @param metadata the table's metadata in force at the version (for its checkpoint
 *     interval), if known
 */
public record CommittedVersion(long tableId, long version, long commitTimestamp, String txnId,
    Optional<List<Action>> actions, Optional<Metadata> metadata) {
  public CommittedVersion {
    Objects.requireNonNull(txnId, "txnId");
    Objects.requireNonNull(metadata, "metadata");
    actions = Objects.requireNonNull(actions, "actions").map(List::copyOf);
  }

  /** A version the committer knows only by number: the mirror reads it from the catalog. */
  public static CommittedVersion withoutActions(long tableId, long version, long commitTimestamp, String txnId) {
    return new CommittedVersion(tableId, version, commitTimestamp, txnId, Optional.empty(), Optional.empty());
  }

  /** Whether the mirror can write the commit file without reading the catalog. */
  boolean held() {
    return actions.isPresent() && metadata.isPresent();
  }
}
