package io.deltasql.core.txn;

import static io.deltasql.core.txn.TxnFixtures.add;
import static io.deltasql.core.txn.TxnFixtures.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.txn.ConsistencyViolation.DuplicateFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Random action lists spread over random statements, with duplicates injected: validation
 * reports exactly the injected duplicates, whatever the order and statement boundaries,
 * and a file added then removed by the transaction itself is never one.
 */
class DuplicateDetectionPropertyTest {

  /** One staged action: an add or a remove of a path. */
  private record Event(String path, boolean isAdd) {}

  @Property(tries = 300)
  void validationFindsExactlyTheInjectedDuplicates(
      @ForAll @IntRange(max = 25) int newFiles,
      @ForAll @IntRange(max = 25) int baseFiles,
      @ForAll @IntRange(max = 10) int duplicatedAdds,
      @ForAll @IntRange(max = 10) int duplicatedRemoves,
      @ForAll @IntRange(max = 5) int cancelled,
      @ForAll @IntRange(min = 1, max = 6) int statements,
      @ForAll Random random) {
    List<Event> events = new ArrayList<>();
    Set<DuplicateFile> expected = new HashSet<>();
    List<AddFile> active = new ArrayList<>();
    for (int i = 0; i < newFiles; i++) {
      events.add(new Event("new-" + i, true));
      if (i < duplicatedAdds) {
        for (int extra = 0; extra <= random.nextInt(2); extra++) {
          events.add(new Event("new-" + i, true));
        }
        expected.add(new DuplicateFile("t", new FileKey("new-" + i, Optional.empty()), "add"));
      }
    }
    for (int i = 0; i < baseFiles; i++) {
      active.add(add("base-" + i));
      events.add(new Event("base-" + i, false));
      if (i < duplicatedRemoves) {
        events.add(new Event("base-" + i, false));
        expected.add(new DuplicateFile("t", new FileKey("base-" + i, Optional.empty()), "remove"));
      }
    }
    for (int i = 0; i < cancelled; i++) {
      events.add(new Event("own-" + i, true));
      events.add(new Event("own-" + i, false));
    }
    Collections.shuffle(events, random);

    MultiTableTransaction tx = TxnFixtures.txn();
    int from = 0;
    for (int s = 0; s < statements; s++) {
      int to = s == statements - 1 ? events.size() : from + random.nextInt(events.size() - from + 1);
      TableActionsBuilder b = new TableActionsBuilder("t", 0);
      for (Event e : events.subList(from, to)) {
        if (e.isAdd()) {
          b.addFile(add(e.path()));
        } else {
          b.removeFile(remove(e.path()));
        }
      }
      tx.stageActions(b.build());
      from = to;
    }
    InMemoryCatalog catalog = new InMemoryCatalog().table("t", 0, active.toArray(AddFile[]::new));
    ValidationResult r = tx.validate(catalog);
    List<DuplicateFile> found = r.violationsOf(DuplicateFile.class);
    assertEquals(expected, Set.copyOf(found), r.message());
    assertEquals(found.size(), Set.copyOf(found).size(), "each duplicate is reported once");
  }
}
