package io.deltasql.core.mirror;

import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.storage.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes one commit file, never overwriting: put-if-absent, and if the file is already
 * there, a comparison with what the catalog says the version holds. Identical bytes (this
 * engine or another retrying after a crash between the write and the status update), or
 * the same actions in another serialization (blank lines, {@code commitInfo} elsewhere,
 * another field order: an earlier deltasql), are this version already published; anything
 * else is a foreign writer's commit.
 */
final class CommitPublisher {
  private final Storage storage;

  CommitPublisher(Storage storage) {
    this.storage = storage;
  }

  /** What publishing one commit file found. */
  sealed interface Published {
    /** This call created the file. */
    record Written() implements Published {}

    /** The file was already there with this version's content. */
    record AlreadyPresent() implements Published {}

    /** The file was already there with other content: {@code reason} says how it differs. */
    record Foreign(String reason) implements Published {}
  }

  /**
   * Publishes {@code content} at {@code path}, the file's modification time set to the
   * version's in-commit timestamp {@code commitTimestamp} where the storage can. Safe to
   * repeat, and safe when several engines publish the same version at once: exactly one
   * creates the file, the others find it identical.
   */
  Published publish(String path, byte[] content, long commitTimestamp) {
    // readers without in-commit timestamps find a version by its file's time (where settable)
    if (storage.putIfAbsent(path, content, commitTimestamp)) {
      return new Published.Written();
    }
    byte[] existing = storage.readAll(path);
    if (Arrays.equals(existing, content)) {
      storage.setModificationTime(path, commitTimestamp);
      return new Published.AlreadyPresent();
    }
    Optional<String> difference = difference(existing, content, path);
    return difference.<Published>map(Published.Foreign::new).orElseGet(Published.AlreadyPresent::new);
  }

  /** Why {@code existing} is not the commit {@code expected}, or empty if it holds the same actions. */
  private static Optional<String> difference(byte[] existing, byte[] expected, String path) {
    List<Action> found;
    try {
      found = CommitJson.parse(existing, path);
    } catch (DeltaException | IllegalArgumentException e) {
      return Optional.of("it holds " + existing.length + " bytes that are not a readable commit ("
          + e.getMessage() + ")");
    }
    found = commitInfoFirst(found);
    List<Action> wanted = CommitJson.parse(expected, path);
    if (found.equals(wanted)) {
      return Optional.empty();
    }
    return Optional.of("it holds " + found.size() + " actions (" + existing.length + " bytes) where the catalog's "
        + "version has " + wanted.size() + " (" + expected.length + " bytes)" + firstDifference(found, wanted));
  }

  /** The actions with {@code commitInfo} first, where {@link CommitJson#write} puts it. */
  private static List<Action> commitInfoFirst(List<Action> actions) {
    List<Action> ordered = new ArrayList<>(actions.size());
    actions.stream().filter(CommitInfo.class::isInstance).forEach(ordered::add);
    actions.stream().filter(a -> !(a instanceof CommitInfo)).forEach(ordered::add);
    return ordered;
  }

  private static String firstDifference(List<Action> found, List<Action> wanted) {
    for (int i = 0; i < Math.min(found.size(), wanted.size()); i++) {
      Action f = found.get(i);
      Action w = wanted.get(i);
      if (!f.equals(w)) {
        return f.key().equals(w.key())
            ? "; action " + (i + 1) + " ('" + f.key() + "') differs"
            : "; action " + (i + 1) + " is '" + f.key() + "' where '" + w.key() + "' was expected";
      }
    }
    return "";
  }
}
