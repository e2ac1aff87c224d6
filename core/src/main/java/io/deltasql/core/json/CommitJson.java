package io.deltasql.core.json;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Sidecar;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A commit file, {@code _delta_log/NNNNNNNNNNNNNNNNNNNN.json}: newline-delimited actions.
 *
 * <p>Reading skips blank lines and lines of unknown actions; each error names the file and the
 * line. It returns what the file holds, V2-checkpoint-only actions included ({@code
 * checkpointMetadata}, {@code sidecar}), which log replay must ignore in commits. Writing puts
 * {@code commitInfo} first (the protocol requires it with in-commit timestamps) and ends every
 * line with {@code \n}.
 */
public final class CommitJson {
  private CommitJson() {}

  /**
   * Parses a commit file.
   *
   * @param content the file's bytes (UTF-8)
   * @param fileName the file, for errors; each error names it with the line number
   */
  public static List<Action> parse(byte[] content, String fileName) {
    return ActionLines.parse(content, fileName);
  }

  /**
   * The bytes of a commit file holding {@code actions}: {@code commitInfo} first, the others in
   * the given order.
   *
   * @throws IllegalArgumentException if there are no actions, more than one {@code commitInfo},
   *     or a V2-checkpoint-only action, none of which a commit may hold
   */
  public static byte[] write(List<? extends Action> actions) {
    Objects.requireNonNull(actions, "actions");
    if (actions.isEmpty()) {
      throw new IllegalArgumentException("A commit holds at least one action");
    }
    List<Action> ordered = new ArrayList<>(actions.size());
    CommitInfo commitInfo = null;
    for (Action action : actions) {
      Objects.requireNonNull(action, "action");
      if (action instanceof CommitInfo info) {
        if (commitInfo != null) {
          throw new IllegalArgumentException("A commit holds at most one commitInfo");
        }
        commitInfo = info;
      } else if (action instanceof CheckpointMetadata || action instanceof Sidecar) {
        throw new IllegalArgumentException(
            "'" + action.key() + "' is only allowed in V2 checkpoints, not in commits");
      } else {
        ordered.add(action);
      }
    }
    if (commitInfo != null) {
      ordered.add(0, commitInfo);
    }
    return ActionLines.write(ordered);
  }
}
