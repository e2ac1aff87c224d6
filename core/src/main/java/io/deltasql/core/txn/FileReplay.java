package io.deltasql.core.txn;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.RemoveFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One pass over a table's staged file actions in their order (statements in staging
 * order, removes before adds within a statement), tracking each logical file
 * ({@link FileKey}) through its events:
 *
 * <ul>
 *   <li>add after add of the same key, with no remove between: a duplicate add;
 *   <li>remove after remove, with no add between: a duplicate remove;
 *   <li>remove after add: the transaction's own file removed again (cancelled);
 *   <li>add after remove: a file replaced (e.g. re-added with new statistics);
 *   <li>a key whose first event is a remove: a file of the table before the transaction,
 *       which must be active in the catalog ({@link #baseRemoves()}).
 * </ul>
 *
 * An add whose key is already active in the table and was not removed first is a
 * duplicate too, but only the catalog can see that; its commit refuses it.
 */
final class FileReplay {
  private static final byte ADD = 1;
  private static final byte REMOVE = 2;

  /** The history of one key: its first and last event, where its last add and first remove are. */
  private static final class Track {
    final byte first;
    byte last;
    int lastAdd = -1;
    int firstRemove = -1;

    Track(byte first) {
      this.first = first;
      this.last = first;
    }
  }

  /** A key found more than once, and for which action. */
  record Duplicate(FileKey file, String action) {}

  private final Map<FileKey, Track> tracks;
  private final Set<Duplicate> duplicates = new LinkedHashSet<>();
  private final List<RemoveFile> baseRemoves = new ArrayList<>();
  private boolean repeated;

  private FileReplay(int expectedKeys) {
    this.tracks = new HashMap<>(Math.max(16, (int) Math.min(1 << 30, expectedKeys * 4L / 3 + 1)));
  }

  static FileReplay of(TableActions actions) {
    FileReplay replay = new FileReplay(actions.adds().size() + actions.removes().size());
    List<AddFile> adds = actions.adds();
    List<RemoveFile> removes = actions.removes();
    for (StagedStatement s : actions.statements()) {
      for (int i = s.firstRemove(), end = i + s.removeCount(); i < end; i++) {
        replay.remove(removes.get(i), i);
      }
      for (int i = s.firstAdd(), end = i + s.addCount(); i < end; i++) {
        replay.add(adds.get(i).fileKey(), i);
      }
    }
    return replay;
  }

  private void add(FileKey key, int index) {
    Track t = tracks.get(key);
    if (t == null) {
      t = new Track(ADD);
      tracks.put(key, t);
    } else {
      repeated = true;
      if (t.last == ADD) {
        duplicates.add(new Duplicate(key, "add"));
      }
      t.last = ADD;
    }
    t.lastAdd = index;
  }

  private void remove(RemoveFile remove, int index) {
    FileKey key = remove.fileKey();
    Track t = tracks.get(key);
    if (t == null) {
      t = new Track(REMOVE);
      t.firstRemove = index;
      tracks.put(key, t);
      baseRemoves.add(remove);
    } else {
      repeated = true;
      if (t.last == REMOVE) {
        duplicates.add(new Duplicate(key, "remove"));
      }
      t.last = REMOVE;
    }
  }

  /** Keys staged twice for the same action, in the order found. */
  Set<Duplicate> duplicates() {
    return duplicates;
  }

  /** The removes of files that must exist in the table before the transaction, one per key. */
  List<RemoveFile> baseRemoves() {
    return baseRemoves;
  }

  NetFileChanges netChanges(TableActions actions) {
    if (!repeated) {
      return new NetFileChanges(actions.adds(), actions.removes());
    }
    List<AddFile> adds = new ArrayList<>();
    List<AddFile> allAdds = actions.adds();
    for (int i = 0; i < allAdds.size(); i++) {
      Track t = tracks.get(allAdds.get(i).fileKey());
      if (t.last == ADD && t.lastAdd == i) {
        adds.add(allAdds.get(i));
      }
    }
    List<RemoveFile> removes = new ArrayList<>();
    List<RemoveFile> allRemoves = actions.removes();
    for (int i = 0; i < allRemoves.size(); i++) {
      Track t = tracks.get(allRemoves.get(i).fileKey());
      if (t.first == REMOVE && t.firstRemove == i) {
        removes.add(allRemoves.get(i));
      }
    }
    return new NetFileChanges(adds, removes);
  }
}
