package io.deltasql.core.json;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.CommitInfo;
import java.util.List;
import java.util.Objects;

/**
 * A V2 checkpoint in JSON form, {@code NNNNNNNNNNNNNNNNNNNN.checkpoint.<uuid>.json}: the same
 * line format as a commit, holding exactly one {@code checkpointMetadata}, the table's
 * protocol, metadata and other non-file actions, {@code sidecar} references and possibly file
 * actions; never {@code commitInfo} or {@code cdc} (PROTOCOL.md, "V2 Spec").
 */
public final class CheckpointJson {
  private CheckpointJson() {}

  /**
   * Parses a V2 checkpoint file.
   *
   * @throws io.deltasql.core.errors.DeltaException {@code XX001} if a line is corrupt, or the
   *     file does not hold exactly one {@code checkpointMetadata}, or holds an action a
   *     checkpoint may not hold
   */
  public static List<Action> parse(byte[] content, String fileName) {
    List<Action> actions = ActionLines.parse(content, fileName);
    int checkpointMetadata = 0;
    for (Action action : actions) {
      if (action instanceof CheckpointMetadata) {
        checkpointMetadata++;
      } else if (!allowed(action)) {
        throw JsonErrors.corrupt(fileName,
            "a V2 checkpoint may not hold a '" + action.key() + "' action");
      }
    }
    if (checkpointMetadata != 1) {
      throw JsonErrors.corrupt(fileName, "a V2 checkpoint must hold exactly one"
          + " 'checkpointMetadata' action, this one holds " + checkpointMetadata);
    }
    return actions;
  }

  /**
   * The bytes of a V2 checkpoint file holding {@code actions}, in the given order, each line
   * ending in {@code \n}.
   *
   * @throws IllegalArgumentException unless there is exactly one {@code checkpointMetadata}
   *     and no {@code commitInfo} or {@code cdc}
   */
  public static byte[] write(List<? extends Action> actions) {
    Objects.requireNonNull(actions, "actions");
    long checkpointMetadata = actions.stream().filter(CheckpointMetadata.class::isInstance).count();
    if (checkpointMetadata != 1) {
      throw new IllegalArgumentException(
          "A V2 checkpoint holds exactly one checkpointMetadata, not " + checkpointMetadata);
    }
    for (Action action : actions) {
      if (!allowed(action)) {
        throw new IllegalArgumentException(
            "A V2 checkpoint may not hold a '" + action.key() + "' action");
      }
    }
    return ActionLines.write(actions);
  }

  private static boolean allowed(Action action) {
    return !(action instanceof CommitInfo) && !(action instanceof AddCdcFile);
  }
}
