package io.deltasql.core.txn;

import static io.deltasql.core.txn.TxnFixtures.BASE_SCHEMA;
import static io.deltasql.core.txn.TxnFixtures.LEGACY;
import static io.deltasql.core.txn.TxnFixtures.T0;
import static io.deltasql.core.txn.TxnFixtures.add;
import static io.deltasql.core.txn.TxnFixtures.metadata;
import static io.deltasql.core.txn.TxnFixtures.remove;
import static io.deltasql.core.txn.TxnFixtures.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.testing.ManualClock;
import io.deltasql.core.txn.ConsistencyViolation.AppendOnlyViolation;
import io.deltasql.core.txn.ConsistencyViolation.DuplicateFile;
import io.deltasql.core.txn.ConsistencyViolation.EmptyActionList;
import io.deltasql.core.txn.ConsistencyViolation.InvalidFileAction;
import io.deltasql.core.txn.ConsistencyViolation.InvalidMetadata;
import io.deltasql.core.txn.ConsistencyViolation.MirrorBacklogFull;
import io.deltasql.core.txn.ConsistencyViolation.ProtocolDowngrade;
import io.deltasql.core.txn.ConsistencyViolation.ReadInvalidated;
import io.deltasql.core.txn.ConsistencyViolation.RemovedFileNotActive;
import io.deltasql.core.txn.ConsistencyViolation.TableAlreadyExists;
import io.deltasql.core.txn.ConsistencyViolation.TableDiverged;
import io.deltasql.core.txn.ConsistencyViolation.TableNotFound;
import io.deltasql.core.txn.ConsistencyViolation.TableTransactionTooLarge;
import io.deltasql.core.txn.ConsistencyViolation.TooManyTables;
import io.deltasql.core.txn.ConsistencyViolation.TransactionNotActive;
import io.deltasql.core.txn.ConsistencyViolation.TransactionTooLarge;
import io.deltasql.core.txn.ConsistencyViolation.TransactionTooOld;
import io.deltasql.core.txn.ConsistencyViolation.UnsupportedWriterFeature;
import io.deltasql.core.txn.ConsistencyViolation.VersionMismatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValidationTest {

  private static ValidationResult validate(MultiTableTransaction tx, CatalogView catalog) {
    return tx.validate(catalog, MultiTableConfig.defaults());
  }

  private static void assertOnly(ValidationResult r, ConsistencyViolation expected) {
    assertEquals(List.of(expected), r.violations(), r.message());
  }

  @Test
  void aConsistentTransactionIsValid() {
    MultiTableTransaction tx = txn();
    tx.addFiles("fact", 4, List.of(add("f1")));
    tx.removeFiles("dim", 2, List.of(remove("d0")));
    ValidationResult r = validate(tx, new InMemoryCatalog().table("fact", 4).table("dim", 2, add("d0")));
    assertTrue(r.isValid(), r.message());
    assertTrue(r.toException().isEmpty());
    assertTrue(r.sqlState().isEmpty());
    tx.validateOrThrow(new InMemoryCatalog().table("fact", 4).table("dim", 2, add("d0")));
  }

  @Test
  void tableNotFound() {
    MultiTableTransaction tx = txn();
    tx.addFiles("missing", 0, List.of(add("a")));
    ValidationResult r = validate(tx, new InMemoryCatalog());
    assertOnly(r, new TableNotFound("missing"));
    assertEquals("42P01", r.violations().get(0).sqlState().code());
    assertTrue(r.violations().get(0).message().contains("'missing' does not exist"));
  }

  @Test
  void tableAlreadyExists() {
    MultiTableTransaction tx = txn();
    tx.stageActions(new TableActionsBuilder("t", TableActions.NEW_TABLE).withMetadata(metadata(BASE_SCHEMA))
        .withProtocol(LEGACY).addFile(add("a")).build());
    assertOnly(validate(tx, new InMemoryCatalog().table("t", 7)), new TableAlreadyExists("t", 7));
    assertTrue(validate(tx, new InMemoryCatalog()).isValid());
  }

  @Test
  void versionMismatchIsARetryableSerializationFailure() {
    MultiTableTransaction tx = txn();
    tx.addFiles("t", 3, List.of(add("a")));
    ValidationResult r = validate(tx, new InMemoryCatalog().table("t", 5));
    assertOnly(r, new VersionMismatch("t", 3, 5));
    assertTrue(r.isRetryable());
    DeltaException e = r.toException().orElseThrow();
    assertEquals(SqlState.SERIALIZATION_FAILURE, e.state());
    assertTrue(e.isRetryable());
    assertTrue(e.getMessage().contains("read at version 3 but is now at version 5"), e.getMessage());
  }

  @Test
  void serializableValidatesEveryTableReadButOtherLevelsDoNot() {
    for (IsolationLevel level : IsolationLevel.values()) {
      MultiTableTransaction tx = txn(level);
      tx.recordRead("dim", 2);
      tx.recordRead("gone", 1);
      tx.recordRead("same", 4);
      tx.addFiles("fact", 9, List.of(add("f")));
      ValidationResult r = validate(tx, new InMemoryCatalog().table("dim", 3).table("same", 4).table("fact", 9));
      if (level == IsolationLevel.SERIALIZABLE) {
        assertEquals(List.of(new ReadInvalidated("dim", 2, Optional.of(3L)), new ReadInvalidated("gone", 1, Optional.empty())),
            r.violations(), r.message());
        assertTrue(r.violations().get(1).message().contains("dropped"));
      } else {
        assertTrue(r.isValid(), level + ": " + r.message());
      }
    }
  }

  @Test
  void serializableReportsAWrittenTableOnceNotAlsoAsARead() {
    MultiTableTransaction tx = txn(IsolationLevel.SERIALIZABLE);
    tx.recordRead("t", 2);
    tx.addFiles("t", 2, List.of(add("a")));
    assertOnly(validate(tx, new InMemoryCatalog().table("t", 3)), new VersionMismatch("t", 2, 3));
  }

  @Test
  void emptyActionList() {
    MultiTableTransaction tx = txn();
    tx.stageActions(new TableActionsBuilder("t", 0).build());
    assertOnly(validate(tx, new InMemoryCatalog().table("t", 0)), new EmptyActionList("t"));
  }

  @Test
  void duplicateFilesAcrossStatements() {
    MultiTableTransaction tx = txn();
    tx.addFiles("t", 0, List.of(add("a"), add("b")));
    tx.addFiles("t", 0, List.of(add("a")));
    tx.removeFiles("t", 0, List.of(remove("base")));
    tx.removeFiles("t", 0, List.of(remove("base")));
    ValidationResult r = validate(tx, new InMemoryCatalog().table("t", 0, add("base")));
    assertEquals(List.of(new DuplicateFile("t", new FileKey("a", Optional.empty()), "add"),
        new DuplicateFile("t", new FileKey("base", Optional.empty()), "remove")), r.violations(), r.message());
  }

  @Test
  void removedFileNotActive() {
    MultiTableTransaction tx = txn();
    tx.removeFiles("t", 0, List.of(remove("live"), remove("ghost")));
    ValidationResult r = validate(tx, new InMemoryCatalog().table("t", 0, add("live")));
    assertOnly(r, new RemovedFileNotActive("t", new FileKey("ghost", Optional.empty())));
    assertEquals(SqlState.SERIALIZATION_FAILURE, r.violations().get(0).sqlState());

    MultiTableTransaction create = txn();
    create.stageActions(new TableActionsBuilder("n", TableActions.NEW_TABLE).withMetadata(metadata(BASE_SCHEMA))
        .withProtocol(LEGACY).removeFile(remove("x")).build());
    assertOnly(validate(create, new InMemoryCatalog()), new RemovedFileNotActive("n", new FileKey("x", Optional.empty())));
  }

  @Test
  void removesAreCheckedInBatchesOfTheConfiguredSize() {
    List<Collection<FileKey>> batches = new ArrayList<>();
    InMemoryCatalog base = new InMemoryCatalog().table("t", 0, add("a"), add("b"), add("c"), add("d"), add("e"));
    CatalogView counting = new CatalogView() {
      @Override
      public Optional<TableHead> head(String table) {
        return base.head(table);
      }

      @Override
      public boolean isActive(String table, FileKey file) {
        return base.isActive(table, file);
      }

      @Override
      public java.util.Set<FileKey> inactive(String table, Collection<FileKey> files) {
        batches.add(files);
        return CatalogView.super.inactive(table, files);
      }

      @Override
      public SchemaResolver schemaResolver() {
        return base.schemaResolver();
      }
    };
    MultiTableTransaction tx = txn();
    tx.removeFiles("t", 0, List.of(remove("a"), remove("b"), remove("c"), remove("d"), remove("e")));
    ValidationResult r = tx.validate(counting, MultiTableConfig.builder().batchSize(2).build());
    assertTrue(r.isValid(), r.message());
    assertEquals(List.of(2, 2, 1), batches.stream().map(Collection::size).toList());
  }

  @Test
  void invalidFileAction() {
    MultiTableTransaction tx = txn();
    tx.addFiles("t", 0, List.of(AddFile.of("neg", Map.of(), -1, 0, Optional.empty())));
    assertOnly(validate(tx, new InMemoryCatalog().table("t", 0)), new InvalidFileAction("t", "neg", "its size -1 is negative"));
  }

  @Test
  void partitionValuesAreCheckedAgainstTheTablesPartitioning() {
    Metadata partitioned = metadata("table-id", BASE_SCHEMA, List.of("name"), Map.of());
    MultiTableTransaction tx = txn();
    tx.addFiles("t", 0, List.of(add("good", Map.of("name", "a")), add("bad")));
    ValidationResult r = validate(tx, new InMemoryCatalog().table("t", 0, LEGACY, partitioned));
    assertEquals(1, r.violations().size(), r.message());
    assertEquals("bad", ((InvalidFileAction) r.violations().get(0)).path());
  }

  @Test
  void invalidMetadata() {
    InMemoryCatalog catalog = new InMemoryCatalog().table("t", 0);
    MultiTableTransaction unparseable = txn();
    unparseable.stageActions(new TableActionsBuilder("t", 0).withMetadata(TxnFixtures.unparseableMetadata()).build());
    ValidationResult r = validate(unparseable, catalog);
    assertTrue(r.violationsOf(InvalidMetadata.class).stream().anyMatch(v -> v.reason().contains("does not parse")),
        r.message());

    MultiTableTransaction badPartition = txn();
    badPartition.stageActions(new TableActionsBuilder("t", 0)
        .withMetadata(metadata("table-id", BASE_SCHEMA, List.of("nope"), Map.of())).build());
    assertOnly(validate(badPartition, catalog),
        new InvalidMetadata("t", "partition column 'nope' is not a column of the schema [id, name]"));

    MultiTableTransaction newId = txn();
    newId.stageActions(new TableActionsBuilder("t", 0).withMetadata(metadata("other-id", BASE_SCHEMA, List.of(), Map.of()))
        .build());
    ValidationResult idChange = validate(newId, catalog);
    assertEquals(1, idChange.violations().size(), idChange.message());
    assertTrue(idChange.violations().get(0).message().contains("changes the table id"));
  }

  @Test
  void unsupportedWriterFeature() {
    Protocol dv = new Protocol(3, 7, Set.of("deletionVectors"), Set.of("deletionVectors", "appendOnly"));
    MultiTableTransaction tx = txn();
    tx.addFiles("t", 0, List.of(add("a")));
    ValidationResult r = validate(tx, new InMemoryCatalog().table("t", 0, dv, metadata(BASE_SCHEMA)));
    assertOnly(r, new UnsupportedWriterFeature("t", "deletionVectors"));
    assertEquals(SqlState.FEATURE_NOT_SUPPORTED, r.sqlState().orElseThrow());
  }

  @Test
  void aStagedProtocolIsCheckedForFeaturesToo() {
    MultiTableTransaction tx = txn();
    tx.stageActions(new TableActionsBuilder("t", 0)
        .withProtocol(new Protocol(1, 7, Set.of(), Set.of("appendOnly", "invariants", "rowTracking"))).build());
    assertOnly(validate(tx, new InMemoryCatalog().table("t", 0)), new UnsupportedWriterFeature("t", "rowTracking"));
  }

  @Test
  void protocolDowngrade() {
    Protocol current = new Protocol(1, 3);
    MultiTableTransaction tx = txn();
    tx.stageActions(new TableActionsBuilder("t", 0).withProtocol(LEGACY).build());
    assertOnly(validate(tx, new InMemoryCatalog().table("t", 0, current, metadata(BASE_SCHEMA))),
        new ProtocolDowngrade("t", current, LEGACY));

    MultiTableTransaction droppedFeature = txn();
    droppedFeature.stageActions(new TableActionsBuilder("t", 0)
        .withProtocol(new Protocol(1, 7, Set.of(), Set.of("appendOnly"))).build());
    ValidationResult r = validate(droppedFeature, new InMemoryCatalog().table("t", 0));
    assertEquals(1, r.violationsOf(ProtocolDowngrade.class).size(), "v7 must list invariants implied by v2: " + r.message());

    MultiTableTransaction upgrade = txn();
    upgrade.stageActions(new TableActionsBuilder("t", 0)
        .withProtocol(new Protocol(1, 7, Set.of(), Set.of("appendOnly", "invariants", "inCommitTimestamp"))).build());
    assertTrue(validate(upgrade, new InMemoryCatalog().table("t", 0)).isValid());
  }

  @Test
  void appendOnlyTablesRefuseDataRemoves() {
    Metadata appendOnly = metadata("table-id", BASE_SCHEMA, List.of(), Map.of("delta.appendOnly", "true"));
    InMemoryCatalog catalog = new InMemoryCatalog().table("t", 0, LEGACY, appendOnly, add("a"), add("b"));
    MultiTableTransaction tx = txn();
    tx.removeFiles("t", 0, List.of(remove("a"), remove("b")));
    assertOnly(validate(tx, catalog), new AppendOnlyViolation("t", 2));

    MultiTableTransaction compaction = txn();
    compaction.stageActions(new TableActionsBuilder("t", 0).removeFile(add("a").toRemove(1, false))
        .addFile(add("a2").withDataChange(false)).withOperation("OPTIMIZE").build());
    assertTrue(validate(compaction, catalog).isValid(), "rearranging data is allowed");

    MultiTableTransaction inserts = txn();
    inserts.addFiles("t", 0, List.of(add("c")));
    assertTrue(validate(inserts, catalog).isValid());
  }

  @Test
  void divergedTablesAndMirrorBackpressure() {
    MultiTableTransaction tx = txn();
    tx.addFiles("d", 0, List.of(add("a")));
    tx.addFiles("m", 0, List.of(add("b")));
    InMemoryCatalog catalog = new InMemoryCatalog().table("d", 0).diverged("d").table("m", 0).unmirrored("m", 1001);
    ValidationResult r = validate(tx, catalog);
    assertEquals(List.of(new TableDiverged("d"), new MirrorBacklogFull("m", 1001, 1000)), r.violations(), r.message());
    assertEquals(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, r.violations().get(0).sqlState());
    assertEquals(SqlState.INSUFFICIENT_RESOURCES, r.violations().get(1).sqlState());
    assertTrue(r.violations().get(1).isRetryable());
    assertFalse(r.isRetryable(), "the diverged table will not heal by retrying");
    assertTrue(validate(tx, new InMemoryCatalog().table("d", 0).table("m", 0).unmirrored("m", 1000)).isValid());
  }

  @Test
  void limitsAtValidation() {
    MultiTableTransaction tx = txn();
    tx.addFiles("a", 0, List.of(add("1"), add("2"), add("3")));
    tx.addFiles("b", 0, List.of(add("4")));
    tx.addFiles("c", 0, List.of(add("5")));
    MultiTableConfig strict = MultiTableConfig.builder().maxTables(2).maxActions(4).maxActionsPerTable(2).build();
    ValidationResult r = tx.validate(new InMemoryCatalog().table("a", 0).table("b", 0).table("c", 0), strict);
    assertEquals(List.of(new TooManyTables(3, 2), new TransactionTooLarge(5, 4), new TableTransactionTooLarge("a", 3, 2)),
        r.violations(), r.message());
    r.violations().forEach(v -> assertEquals("54000", v.sqlState().code()));
  }

  @Test
  void transactionTooOld() {
    ManualClock clock = new ManualClock(T0);
    MultiTableTransaction tx = MultiTableTransaction.builder(MultiTableConfig.defaults()).clock(clock).begin();
    tx.addFiles("t", 0, List.of(add("a")));
    InMemoryCatalog catalog = new InMemoryCatalog().table("t", 0);
    clock.advance(Duration.ofHours(1));
    assertTrue(tx.validate(catalog).isValid(), "exactly the maximum age is still allowed");
    clock.advance(Duration.ofSeconds(1));
    ValidationResult r = tx.validate(catalog);
    assertOnly(r, new TransactionTooOld(T0, 3600, T0.plusSeconds(3601)));
    assertEquals(SqlState.INVALID_TRANSACTION_STATE, r.sqlState().orElseThrow());
    assertTrue(r.violations().get(0).message().contains("3601 s old"), r.violations().get(0).message());
  }

  @Test
  void transactionNotActive() {
    MultiTableTransaction tx = txn();
    tx.markFailed(new DeltaException(SqlState.DEADLOCK_DETECTED, "victim"));
    assertOnly(validate(tx, new InMemoryCatalog()), new TransactionNotActive(tx.id(), TransactionState.FAILED));

    MultiTableTransaction committing = txn();
    committing.addFiles("t", 0, List.of(add("a")));
    committing.beginCommit();
    assertTrue(validate(committing, new InMemoryCatalog().table("t", 0)).isValid(), "the commit engine validates here");
  }

  @Test
  void everyViolationIsReportedAtOnceAndTheExceptionListsThemAll() {
    ManualClock clock = new ManualClock(T0);
    MultiTableTransaction tx = MultiTableTransaction.builder(MultiTableConfig.defaults()).clock(clock).begin();
    tx.addFiles("missing", 0, List.of(add("m")));
    tx.addFiles("moved", 1, List.of(add("x"), add("x")));
    tx.stageActions(new TableActionsBuilder("empty", 0).build());
    clock.advance(Duration.ofDays(1));
    ValidationResult r = tx.validate(new InMemoryCatalog().table("moved", 2).table("empty", 0));
    assertEquals(List.of(TransactionTooOld.class, EmptyActionList.class, TableNotFound.class, DuplicateFile.class,
        VersionMismatch.class), r.violations().stream().map(Object::getClass).toList(), r.message());
    assertEquals(List.of(new EmptyActionList("empty")), r.violationsFor("empty"));
    DeltaException e = assertThrows(DeltaException.class, () -> tx.validateOrThrow(new InMemoryCatalog()
        .table("moved", 2).table("empty", 0)));
    for (ConsistencyViolation v : r.violations()) {
      assertTrue(e.getMessage().contains(v.message()), "lists " + v + " in: " + e.getMessage());
    }
    assertTrue(e.getMessage().startsWith("transaction " + tx.id() + " cannot commit: 5 violations"), e.getMessage());
    assertEquals(SqlState.INVALID_TRANSACTION_STATE, e.state(), "the first violation retrying cannot clear decides");
    assertFalse(e.isRetryable());
  }

  @Test
  void longListsAreCutInTheMessageButKeptInTheResult() {
    MultiTableTransaction tx = txn();
    List<io.deltasql.core.actions.RemoveFile> ghosts = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      ghosts.add(remove("ghost-" + i));
    }
    tx.removeFiles("t", 0, ghosts);
    ValidationResult r = validate(tx, new InMemoryCatalog().table("t", 0));
    assertEquals(60, r.violations().size());
    assertTrue(r.message().endsWith("... and 10 more"), r.message());
  }

  @Test
  void sqlStatesOfEveryKind() {
    FileKey f = new FileKey("p", Optional.empty());
    Map<ConsistencyViolation, String> expected = Map.ofEntries(
        Map.entry(new TableNotFound("t"), "42P01"),
        Map.entry(new TableAlreadyExists("t", 1), "42P07"),
        Map.entry(new VersionMismatch("t", 1, 2), "40001"),
        Map.entry(new ReadInvalidated("t", 1, Optional.of(2L)), "40001"),
        Map.entry(new RemovedFileNotActive("t", f), "40001"),
        Map.entry(new EmptyActionList("t"), "22023"),
        Map.entry(new DuplicateFile("t", f, "add"), "22023"),
        Map.entry(new InvalidFileAction("t", "p", "r"), "22023"),
        Map.entry(new InvalidMetadata("t", "r"), "22023"),
        Map.entry(new TooManyTables(2, 1), "54000"),
        Map.entry(new TransactionTooLarge(2, 1), "54000"),
        Map.entry(new TableTransactionTooLarge("t", 2, 1), "54000"),
        Map.entry(new TransactionTooOld(T0, 1, T0.plusSeconds(2)), "25000"),
        Map.entry(new TransactionNotActive(UUID.randomUUID(), TransactionState.COMMITTED), "25000"),
        Map.entry(new UnsupportedWriterFeature("t", "x"), "0A000"),
        Map.entry(new ProtocolDowngrade("t", LEGACY, LEGACY), "0A000"),
        Map.entry(new AppendOnlyViolation("t", 1), "55000"),
        Map.entry(new TableDiverged("t"), "55000"),
        Map.entry(new MirrorBacklogFull("t", 2, 1), "53000"));
    expected.forEach((v, code) -> {
      assertEquals(code, v.sqlState().code(), v.toString());
      assertFalse(v.message().isBlank());
      assertEquals(v instanceof TooManyTables || v instanceof TransactionTooLarge || v instanceof TransactionTooOld
          || v instanceof TransactionNotActive, v.affectedTable().isEmpty(), v.toString());
    });
  }
}
