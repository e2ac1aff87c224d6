package io.deltasql.core.txn;

import static io.deltasql.core.txn.TxnFixtures.BASE_SCHEMA;
import static org.junit.jupiter.api.Assertions.fail;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.errors.DeltaException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of builder, staging, read, validation and life-cycle calls with random
 * (often bad) arguments: nothing ever escapes but a {@link DeltaException}.
 */
class StagingFuzzPropertyTest {
  private static final String[] TABLES = {"t", "u", "v", "", "  ", null};
  private static final String[] PATHS = {"a", "b", "c", "d", "", " "};

  private Random random;

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  private long version() {
    return random.nextInt(9) - 3;
  }

  private AddFile add() {
    Map<String, String> pv = random.nextInt(4) == 0 ? Map.of("name", "x") : Map.of();
    AddFile add = AddFile.of(pick(PATHS), pv, random.nextInt(4) == 0 ? -1 : 10, 0, Optional.empty());
    return random.nextBoolean() ? add : add.withDataChange(false);
  }

  private RemoveFile remove() {
    return add().toRemove(0, random.nextBoolean());
  }

  private <T> List<T> listOf(java.util.function.Supplier<T> element) {
    if (random.nextInt(10) == 0) {
      return null;
    }
    List<T> list = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      list.add(random.nextInt(12) == 0 ? null : element.get());
    }
    return list;
  }

  private <T> T maybeNull(T value) {
    return random.nextInt(10) == 0 ? null : value;
  }

  private Map<String, String> parameters() {
    return switch (random.nextInt(3)) {
      case 0 -> Map.of("k", "v");
      case 1 -> Collections.singletonMap("k", null);
      default -> null;
    };
  }

  @Property(tries = 300)
  void randomCallsNeverThrowAnythingButDeltaException(
      @ForAll @Size(max = 40) List<@IntRange(max = 21) Integer> calls,
      @ForAll @IntRange(min = 1, max = 8) int maxActions,
      @ForAll Random rnd) {
    this.random = rnd;
    MultiTableConfig config = MultiTableConfig.builder().maxTables(2).maxActions(maxActions)
        .maxActionsPerTable(Math.max(1, maxActions - 1)).build();
    IsolationLevel level = pick(IsolationLevel.values());
    MultiTableTransaction tx = MultiTableTransaction.builder(config).isolationLevel(level).clock(TxnFixtures.CLOCK).begin();
    InMemoryCatalog catalog = new InMemoryCatalog().table("t", 0, TxnFixtures.add("a"), TxnFixtures.add("b"))
        .table("u", 2, new Protocol(1, 7, Set.of(), Set.of("rowTracking")),
            TxnFixtures.metadata("u-id", BASE_SCHEMA, List.of("name"), Map.of("delta.appendOnly", "true")));
    TableActionsBuilder builder = new TableActionsBuilder("t", 0);
    List<TableActions> built = new ArrayList<>();
    for (int call : calls) {
      try {
        switch (call) {
          case 0 -> builder = new TableActionsBuilder(pick(TABLES), version());
          case 1 -> builder.addFile(maybeNull(add()));
          case 2 -> builder.addFiles(listOf(this::add));
          case 3 -> builder.removeFile(maybeNull(remove()));
          case 4 -> builder.removeFiles(listOf(this::remove));
          case 5 -> builder.withMetadata(maybeNull(random.nextBoolean() ? TxnFixtures.metadata(BASE_SCHEMA)
              : TxnFixtures.unparseableMetadata()));
          case 6 -> builder.withProtocol(maybeNull(new Protocol(1, 1 + random.nextInt(8))));
          case 7 -> builder.withOperation(pick(new String[] {"MERGE", "", null}), parameters());
          case 8 -> builder.withAppTransaction(maybeNull(new SetTransaction("app", random.nextInt(3), Optional.empty())));
          case 9 -> builder.withDomainMetadata(maybeNull(new DomainMetadata("d", "{}", random.nextBoolean())));
          case 10 -> builder.readsTable(random.nextBoolean());
          case 11 -> {
            TableActions a = builder.build();
            built.add(a);
            tx.stageActions(a);
          }
          case 12 -> built.add(builder.buildAndValidate());
          case 13 -> tx.addFiles(pick(TABLES), version(), listOf(this::add));
          case 14 -> tx.removeFiles(pick(TABLES), version(), listOf(this::remove));
          case 15 -> tx.recordRead(pick(TABLES), version());
          case 16 -> {
            if (random.nextBoolean()) {
              tx.validateOrThrow(catalog);
            } else {
              tx.validate(catalog).toException();
            }
          }
          case 17 -> tx.transitionTo(random.nextInt(8) == 0 ? null : pick(TransactionState.values()));
          case 18 -> tx.stagedActions().values().forEach(TableActions::netChanges);
          case 19 -> tx.pinSnapshotCut(random.nextInt(100));
          case 20 -> {
            if (built.size() >= 2) {
              built.add(built.get(random.nextInt(built.size())).mergedWith(built.get(random.nextInt(built.size()))));
            }
          }
          default -> {
            if (!built.isEmpty()) {
              built.get(random.nextInt(built.size())).withReadVersion(version()).operation();
            }
          }
        }
      } catch (DeltaException expected) {
        // the only exception allowed
      } catch (Throwable t) {
        fail("call " + call + " threw " + t + " (" + Arrays.toString(t.getStackTrace()).substring(0, 300) + ")", t);
      }
    }
  }
}
