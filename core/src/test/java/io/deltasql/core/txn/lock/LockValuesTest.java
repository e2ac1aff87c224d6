package io.deltasql.core.txn.lock;

import static io.deltasql.core.txn.lock.LockMode.EXCLUSIVE;
import static io.deltasql.core.txn.lock.LockMode.SHARED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LockValuesTest {
  @Test
  void onlySharedLocksAreCompatible() {
    assertTrue(SHARED.isCompatibleWith(SHARED));
    assertFalse(SHARED.isCompatibleWith(EXCLUSIVE));
    assertFalse(EXCLUSIVE.isCompatibleWith(SHARED));
    assertFalse(EXCLUSIVE.isCompatibleWith(EXCLUSIVE));
  }

  @Test
  void exclusiveCoversBothModes() {
    assertTrue(EXCLUSIVE.covers(SHARED));
    assertTrue(EXCLUSIVE.covers(EXCLUSIVE));
    assertTrue(SHARED.covers(SHARED));
    assertFalse(SHARED.covers(EXCLUSIVE));
  }

  @Test
  void laterTransactionsAreYounger() {
    LockOwner first = LockOwner.start(0);
    LockOwner second = LockOwner.start(UUID.randomUUID(), 0);
    assertTrue(second.sequence() > first.sequence());
  }

  @Test
  void victimOrderPrefersLowestPriorityThenYoungest() {
    Instant t = Instant.EPOCH;
    LockOwner oldLow = new LockOwner(UUID.randomUUID(), 1, 1, t);
    LockOwner youngLow = new LockOwner(UUID.randomUUID(), 1, 2, t);
    LockOwner youngestHigh = new LockOwner(UUID.randomUUID(), 9, 3, t);
    List<LockOwner> owners = new ArrayList<>(List.of(youngestHigh, oldLow, youngLow));
    owners.sort(LockOwner.VICTIM_ORDER);
    assertEquals(List.of(youngLow, oldLow, youngestHigh), owners);
  }

  @Test
  void deadlockNeedsAWait() {
    LockOwner owner = LockOwner.start(0);
    assertThrows(IllegalArgumentException.class,
        () -> new Deadlock<String>(owner, List.of(), List.of(), Instant.EPOCH));
  }
}
