package io.deltasql.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Transaction ids are random (version 4, IETF variant) UUIDs, distinct across threads. */
class TransactionIdsTest {
  @Test
  void idsAreVersionFourUuidsThatReadBackAsThemselves() {
    for (int i = 0; i < 1_000; i++) {
      UUID id = TransactionIds.next();
      assertEquals(4, id.version(), id::toString);
      assertEquals(2, id.variant(), id::toString);
      assertEquals(id, UUID.fromString(id.toString()));
    }
  }

  @Test
  void idsOfManyThreadsAreDistinct() throws InterruptedException {
    Set<UUID> ids = ConcurrentHashMap.newKeySet();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      threads.add(new Thread(() -> {
        for (int i = 0; i < 20_000; i++) {
          ids.add(TransactionIds.next());
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(8 * 20_000, ids.size());
  }

  @Test
  void aNewTransactionGetsAnIdOfItsOwn() {
    MultiTableTransaction a = MultiTableTransaction.builder(MultiTableConfig.defaults()).begin();
    MultiTableTransaction b = MultiTableTransaction.builder(MultiTableConfig.defaults()).begin();
    assertEquals(4, a.id().version());
    assertNotEquals(a.id(), b.id());
  }
}
