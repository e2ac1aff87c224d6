package io.deltasql.core.txn;

import static io.deltasql.core.txn.TxnFixtures.BASE_SCHEMA;
import static io.deltasql.core.txn.TxnFixtures.LEGACY;
import static io.deltasql.core.txn.TxnFixtures.add;
import static io.deltasql.core.txn.TxnFixtures.metadata;
import static io.deltasql.core.txn.TxnFixtures.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.txn.ConsistencyViolation.DuplicateFile;
import io.deltasql.core.txn.ConsistencyViolation.EmptyActionList;
import io.deltasql.core.txn.ConsistencyViolation.InvalidFileAction;
import io.deltasql.core.txn.ConsistencyViolation.InvalidMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableActionsBuilderTest {

  @Test
  void buildsWhatWasCollected() {
    TableActions a = new TableActionsBuilder("sales.orders", 12)
        .addFiles(List.of(add("a"), add("b")))
        .addFile(add("c"))
        .removeFiles(Set.of(remove("old")))
        .withMetadata(metadata(BASE_SCHEMA))
        .withProtocol(LEGACY)
        .withAppTransaction(new SetTransaction("stream-1", 4, Optional.empty()))
        .withAppTransaction(new SetTransaction("stream-1", 5, Optional.empty()))
        .withDomainMetadata(new DomainMetadata("d", "{}", false))
        .withOperation("MERGE", Map.of("predicate", "[\"id = s.id\"]"))
        .readsTable(true)
        .build();
    assertEquals("sales.orders", a.table());
    assertEquals(12, a.readVersion());
    assertEquals(List.of("a", "b", "c"), a.adds().stream().map(AddFile::path).toList());
    assertEquals(1, a.removes().size());
    assertTrue(a.metadata().isPresent() && a.protocol().isPresent());
    assertEquals(List.of(new SetTransaction("stream-1", 5, Optional.empty())), a.appTransactions(),
        "a second txn action of one app replaces the first");
    assertEquals(new TableOperation("MERGE", Map.of("predicate", "[\"id = s.id\"]")), a.operation());
    assertEquals(3 + 1 + 1 + 1 + 1 + 1, a.actionCount());
    assertFalse(a.isBlindAppend());
    assertFalse(a.isNewTable());
    assertTrue(a.toString().contains("adds=3"), "toString summarises: " + a);
  }

  @Test
  void theDefaultOperationIsWriteAndPureAddsAreABlindAppend() {
    TableActions a = new TableActionsBuilder("t", 0).addFile(add("a")).build();
    assertEquals(TableOperation.WRITE, a.operation());
    assertTrue(a.isBlindAppend());
    assertFalse(new TableActionsBuilder("t", 0).addFile(add("a")).readsTable(true).build().isBlindAppend());
    assertFalse(new TableActionsBuilder("t", 0).addFile(add("a").withDataChange(false)).build().isBlindAppend());
    assertFalse(new TableActionsBuilder("t", 0).addFile(add("a")).removeFile(remove("b")).build().isBlindAppend());
    assertFalse(new TableActionsBuilder("t", 0).build().isBlindAppend(), "nothing is not an append");
  }

  @Test
  void viewsAreUnmodifiable() {
    TableActions a = new TableActionsBuilder("t", 0).addFile(add("a")).build();
    assertThrows(UnsupportedOperationException.class, () -> a.adds().add(add("b")));
    assertThrows(UnsupportedOperationException.class, () -> a.removes().add(remove("b")));
    assertThrows(UnsupportedOperationException.class, () -> a.statements().clear());
  }

  @Test
  void theBuilderCanGoOnAfterBuildWithoutChangingWhatItBuilt() {
    TableActionsBuilder b = new TableActionsBuilder("t", 0).addFile(add("a"));
    TableActions first = b.build();
    b.addFile(add("b"));
    TableActions second = b.build();
    assertEquals(1, first.adds().size());
    assertEquals(2, second.adds().size());
    assertTrue(AppendOnlyList.sameStore(first.adds(), second.adds()), "the builder's list is shared, not copied");
    assertNotEquals(first, second);
  }

  @Test
  void buildDoesNotCopyTheFiles() {
    List<AddFile> files = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      files.add(add("f" + i));
    }
    TableActions a = new TableActionsBuilder("t", 0).addFiles(files).build();
    for (int i = 0; i < files.size(); i++) {
      assertSame(files.get(i), a.adds().get(i));
    }
    assertEquals(files, a.adds());
  }

  @Test
  void buildAndValidateRefusesAnEmptyActionList() {
    DeltaException e = assertThrows(DeltaException.class, () -> new TableActionsBuilder("t", 0).buildAndValidate());
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
    assertTrue(e.getMessage().contains("no action is staged for table 't'"), e.getMessage());
  }

  @Test
  void buildAndValidateListsEveryProblemOfTheStatement() {
    TableActionsBuilder b = new TableActionsBuilder("t", TableActions.NEW_TABLE)
        .addFiles(List.of(add("a"), add("a"), AddFile.of(" ", Map.of(), 1, 0, Optional.empty()),
            AddFile.of("neg", Map.of(), -5, 0, Optional.empty())))
        .removeFiles(List.of(remove("x"), remove("x")));
    DeltaException e = assertThrows(DeltaException.class, b::buildAndValidate);
    String m = e.getMessage();
    assertTrue(m.contains("file 'a'") && m.contains("more than one add"), m);
    assertTrue(m.contains("file 'x'") && m.contains("more than one remove"), m);
    assertTrue(m.contains("the path is blank"), m);
    assertTrue(m.contains("size -5 is negative"), m);
    assertTrue(m.contains("stages no metadata") && m.contains("stages no protocol"), m);
    assertTrue(m.contains("6 violations"), m);
  }

  @Test
  void partitionValuesMustNameThePartitionColumns() {
    TableActionsBuilder b = new TableActionsBuilder("t", 3)
        .withMetadata(metadata("table-id", BASE_SCHEMA, List.of("name"), Map.of()))
        .addFile(add("ok", Map.of("name", "x")))
        .addFile(add("ok-case", Map.of("NAME", "x")))
        .addFile(add("missing", Map.of()))
        .addFile(add("extra", Map.of("name", "x", "id", "1")));
    DeltaException e = assertThrows(DeltaException.class, b::buildAndValidate);
    assertTrue(e.getMessage().contains("'missing'") && e.getMessage().contains("'extra'"), e.getMessage());
    assertFalse(e.getMessage().contains("'ok'") || e.getMessage().contains("'ok-case'"), e.getMessage());
  }

  @Test
  void aValidStatementPasses() {
    TableActions a = new TableActionsBuilder("t", TableActions.NEW_TABLE)
        .withMetadata(metadata(BASE_SCHEMA)).withProtocol(LEGACY).addFile(add("a")).buildAndValidate();
    assertTrue(a.isNewTable());
  }

  @Test
  void structuralChecksProduceTheRightKinds() {
    TableActions a = new TableActionsBuilder("t", TableActions.NEW_TABLE).build();
    List<ConsistencyViolation> out = new ArrayList<>();
    TableActionsChecks.structural(a, a.metadata(), FileReplay.of(a), out);
    assertEquals(List.of(EmptyActionList.class, InvalidMetadata.class, InvalidMetadata.class),
        out.stream().map(Object::getClass).toList());
    TableActions dup = new TableActionsBuilder("t", 0).addFile(add("a")).addFile(add("a"))
        .addFile(AddFile.of("", Map.of(), 0, 0, Optional.empty())).build();
    out.clear();
    TableActionsChecks.structural(dup, Optional.empty(), FileReplay.of(dup), out);
    assertEquals(List.of(DuplicateFile.class, InvalidFileAction.class), out.stream().map(Object::getClass).toList());
    assertEquals("a", ((DuplicateFile) out.get(0)).path());
  }

  @Test
  void misuseIsAnInvalidParameterNeverAnNpe() {
    List<Runnable> misuses = List.of(
        () -> new TableActionsBuilder(null, 0),
        () -> new TableActionsBuilder("  ", 0),
        () -> new TableActionsBuilder("t", -2),
        () -> new TableActionsBuilder("t", 0).addFile(null),
        () -> new TableActionsBuilder("t", 0).addFiles(null),
        () -> new TableActionsBuilder("t", 0).addFiles(Arrays.asList(add("a"), null)),
        () -> new TableActionsBuilder("t", 0).removeFiles(Arrays.asList((io.deltasql.core.actions.RemoveFile) null)),
        () -> new TableActionsBuilder("t", 0).withMetadata(null),
        () -> new TableActionsBuilder("t", 0).withOperation(""),
        () -> new TableActionsBuilder("t", 0).withOperation("X", null),
        () -> new TableActionsBuilder("t", 0).withOperation("X", java.util.Collections.singletonMap("k", null)));
    for (Runnable misuse : misuses) {
      DeltaException e = assertThrows(DeltaException.class, misuse::run);
      assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state(), e.getMessage());
    }
  }

  @Test
  void aStatementOfOtherActionsIsRefused() {
    TableActions small = new TableActionsBuilder("t", 0).addFile(add("a")).build();
    TableActions big = new TableActionsBuilder("t", 0).addFiles(List.of(add("a"), add("b"), add("c"))).build();
    assertEquals(1, small.addsOf(small.statements().get(0)).size());
    DeltaException e = assertThrows(DeltaException.class, () -> small.addsOf(big.statements().get(0)));
    assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
  }

  @Test
  void aRefusedBatchChangesNothing() {
    TableActionsBuilder b = new TableActionsBuilder("t", 0).addFile(add("a"));
    assertThrows(DeltaException.class, () -> b.addFiles(Arrays.asList(add("b"), null)));
    assertEquals(1, b.build().adds().size());
  }
}
