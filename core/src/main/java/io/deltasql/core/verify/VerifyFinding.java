package io.deltasql.core.verify;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One difference between a table's catalog state and its {@code _delta_log}.
 *
 * @param kind what differs
 * @param version the version it concerns, if one
 * @param path the file it concerns (a data file path for a file action, a log file
 *     otherwise), if one
 * @param detail what exactly differs, for a person
 */
public record VerifyFinding(Kind kind, OptionalLong version, Optional<String> path, String detail) {
  /** The kinds of differences; each says what a repair looks like (see {@code docs/runbook.md}). */
  public enum Kind {
    /** The catalog marks the table diverged (a foreign commit was found while mirroring). */
    DIVERGED,
    /** The table's {@code _delta_log} cannot be listed, or holds nothing. */
    LOG_UNREADABLE,
    /** A catalog version not in the log yet: the mirror has it pending or failed (mirror lag). */
    UNMIRRORED,
    /** A catalog version recorded as mirrored whose commit file is missing from the log. */
    MISSING_COMMIT,
    /** A commit file at a version the catalog does not have: a writer outside deltasql. */
    FOREIGN_COMMIT,
    /** A checkpoint at a version the catalog does not have. */
    FOREIGN_CHECKPOINT,
    /** A commit file that cannot be read. */
    COMMIT_UNREADABLE,
    /** An action of the catalog's version that the commit file lacks. */
    ACTION_MISSING,
    /** An action of the commit file that the catalog's version lacks. */
    ACTION_EXTRA,
    /** The same action (same file, same kind) with other field values. */
    ACTION_DIFFERS,
    /** The log cannot rebuild a version's snapshot (a broken segment). */
    SNAPSHOT_UNREADABLE,
    /** The log's snapshot differs from the catalog's at the same version. */
    SNAPSHOT_DIFFERS,
    /** A checkpoint that cannot be read (truncated, corrupt, missing parts or sidecars). */
    CHECKPOINT_UNREADABLE,
    /** A checkpoint whose state differs from the catalog's snapshot at its version. */
    CHECKPOINT_DIFFERS,
    /** {@code _last_checkpoint} cannot be read. */
    LAST_CHECKPOINT_UNREADABLE,
    /** {@code _last_checkpoint} names a checkpoint that does not exist (or is incomplete). */
    LAST_CHECKPOINT_DANGLING,
    /** {@code _last_checkpoint} names an older checkpoint than the newest one in the log. */
    LAST_CHECKPOINT_STALE,
    /** {@code _last_checkpoint}'s sizes disagree with the checkpoint it names. */
    LAST_CHECKPOINT_MISMATCH
  }

  public VerifyFinding {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(detail, "detail");
  }

  static VerifyFinding of(Kind kind, long version, String path, String detail) {
    return new VerifyFinding(kind, OptionalLong.of(version), Optional.ofNullable(path), detail);
  }

  static VerifyFinding of(Kind kind, String path, String detail) {
    return new VerifyFinding(kind, OptionalLong.empty(), Optional.ofNullable(path), detail);
  }

  /** One line: kind, version, path, detail. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(kind.name());
    version.ifPresent(v -> s.append(" version=").append(v));
    path.ifPresent(p -> s.append(" path=").append(p));
    return s.append(": ").append(detail).toString();
  }
}
