package io.deltasql.core.log;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What must be read to reconstruct {@code version}: the newest complete checkpoint at or
 * before it (if any), then every commit after the checkpoint up to {@code version}, in
 * order and without gaps.
 */
public record LogSegment(String tableRoot, long version, Optional<Checkpoint> checkpoint, List<LogFile> commits) {
  public LogSegment {
    Objects.requireNonNull(tableRoot, "tableRoot");
    Objects.requireNonNull(checkpoint, "checkpoint");
    commits = List.copyOf(commits);
  }
}
