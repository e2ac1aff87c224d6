package io.deltasql.core.txn;

import static io.deltasql.core.txn.TxnFixtures.BASE_SCHEMA;
import static io.deltasql.core.txn.TxnFixtures.LEGACY;
import static io.deltasql.core.txn.TxnFixtures.add;
import static io.deltasql.core.txn.TxnFixtures.field;
import static io.deltasql.core.txn.TxnFixtures.metadata;
import static io.deltasql.core.txn.TxnFixtures.remove;
import static io.deltasql.core.txn.TxnFixtures.struct;
import static io.deltasql.core.txn.TxnFixtures.txn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.Metadata;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.txn.ConsistencyViolation.SchemaIncompatible;
import io.deltasql.core.txn.ConsistencyViolation.SchemaIncompatible.Kind;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaCompatibilityTest {
  private static final StructType NESTED = struct(
      field("id", PrimitiveType.LONG, false),
      field("address", struct(field("city", PrimitiveType.STRING, true), field("zip", PrimitiveType.STRING, true)), true),
      field("tags", new ArrayType(PrimitiveType.STRING, true), true),
      field("attrs", new MapType(PrimitiveType.STRING, PrimitiveType.INTEGER, true), true),
      field("price", new DecimalType(10, 2), true));

  /** The violations of changing a table of {@code current} with data to {@code next}. */
  private static List<SchemaIncompatible> change(StructType current, Metadata next, boolean tableHasData,
      boolean overwrite) {
    InMemoryCatalog catalog = tableHasData
        ? new InMemoryCatalog().table("t", 1, LEGACY, metadata(current), add("f1"), add("f2"))
        : new InMemoryCatalog().table("t", 1, LEGACY, metadata(current));
    MultiTableTransaction tx = txn();
    TableActionsBuilder b = new TableActionsBuilder("t", 1).withMetadata(next);
    if (overwrite) {
      Map<String, String> partitionValues = new java.util.HashMap<>();
      next.partitionColumns().forEach(c -> partitionValues.put(c, "v"));
      b.removeFiles(List.of(remove("f1"), remove("f2"))).addFile(add("new", partitionValues));
    }
    tx.stageActions(b.build());
    ValidationResult r = tx.validate(catalog);
    assertEquals(r.violations().size(), r.violationsOf(SchemaIncompatible.class).size(), r.message());
    return r.violationsOf(SchemaIncompatible.class);
  }

  private static List<SchemaIncompatible> change(StructType current, StructType next) {
    return change(current, metadata(next), true, false);
  }

  private static void assertKinds(List<SchemaIncompatible> found, Kind kind, String... columns) {
    assertEquals(List.of(columns), found.stream().map(SchemaIncompatible::column).toList(), found.toString());
    found.forEach(v -> assertEquals(kind, v.kind()));
  }

  @Test
  void addingNullableColumnsAndRelaxingNotNullIsCompatible() {
    StructType next = struct(field("id", PrimitiveType.LONG, true), field("NAME", PrimitiveType.STRING, true),
        field("extra", PrimitiveType.DOUBLE, true));
    assertEquals(List.of(), change(BASE_SCHEMA, next));
  }

  @Test
  void droppingAColumn() {
    List<SchemaIncompatible> found = change(BASE_SCHEMA, struct(field("id", PrimitiveType.LONG, false)));
    assertKinds(found, Kind.DROPPED_COLUMN, "name");
    assertEquals(SqlState.FEATURE_NOT_SUPPORTED, found.get(0).sqlState());
  }

  @Test
  void changingATypeIncludingWidening() {
    StructType next = struct(field("id", PrimitiveType.STRING, false), field("name", PrimitiveType.STRING, true));
    List<SchemaIncompatible> found = change(BASE_SCHEMA, next);
    assertKinds(found, Kind.TYPE_CHANGED, "id");
    assertTrue(found.get(0).message().contains("from long to string"), found.get(0).message());
    assertEquals(SqlState.DATATYPE_MISMATCH, found.get(0).sqlState());
    StructType ints = struct(field("n", PrimitiveType.INTEGER, true));
    assertKinds(change(ints, struct(field("n", PrimitiveType.LONG, true))), Kind.TYPE_CHANGED, "n");
  }

  @Test
  void addingANotNullColumnToATableWithData() {
    StructType next = struct(field("id", PrimitiveType.LONG, false), field("name", PrimitiveType.STRING, true),
        field("required", PrimitiveType.INTEGER, false));
    assertKinds(change(BASE_SCHEMA, next), Kind.NOT_NULL_COLUMN_ADDED, "required");
    assertEquals(List.of(), change(BASE_SCHEMA, metadata(next), false, false), "an empty table has no rows to violate it");
  }

  @Test
  void tighteningNullability() {
    StructType next = struct(field("id", PrimitiveType.LONG, false), field("name", PrimitiveType.STRING, false));
    assertKinds(change(BASE_SCHEMA, next), Kind.NULLABILITY_TIGHTENED, "name");
  }

  @Test
  void nestedChangesAreFoundWithTheirPath() {
    StructType next = struct(
        field("id", PrimitiveType.LONG, false),
        field("address", struct(field("city", PrimitiveType.INTEGER, true), field("street", PrimitiveType.STRING, false)), true),
        field("tags", new ArrayType(PrimitiveType.STRING, false), true),
        field("attrs", new MapType(PrimitiveType.STRING, PrimitiveType.LONG, false), true),
        field("price", new DecimalType(12, 2), true));
    List<String> found = change(NESTED, next).stream().map(v -> v.kind() + " " + v.column()).toList();
    assertEquals(List.of(
        "TYPE_CHANGED address.city",
        "DROPPED_COLUMN address.zip",
        "NOT_NULL_COLUMN_ADDED address.street",
        "NULLABILITY_TIGHTENED tags.element",
        "NULLABILITY_TIGHTENED attrs.value",
        "TYPE_CHANGED attrs.value",
        "TYPE_CHANGED price"), found);
  }

  @Test
  void changingPartitioningOfATableWithData() {
    Metadata next = metadata("table-id", BASE_SCHEMA, List.of("name"), Map.of());
    List<SchemaIncompatible> found = change(BASE_SCHEMA, next, true, false);
    assertKinds(found, Kind.PARTITIONING_CHANGED, "name");
    assertEquals(List.of(), change(BASE_SCHEMA, next, false, false));
  }

  @Test
  void anOverwriteMayChangeAnything() {
    StructType next = struct(field("other", PrimitiveType.STRING, false));
    assertEquals(List.of(), change(BASE_SCHEMA, metadata("table-id", next, List.of("other"), Map.of()), true, true));
  }

  @Test
  void aPartialRemoveIsNoOverwrite() {
    InMemoryCatalog catalog = new InMemoryCatalog().table("t", 1, LEGACY, metadata(BASE_SCHEMA), add("f1"), add("f2"));
    MultiTableTransaction tx = txn();
    tx.stageActions(new TableActionsBuilder("t", 1).removeFile(remove("f1"))
        .withMetadata(metadata(struct(field("id", PrimitiveType.LONG, false)))).build());
    assertEquals(1, tx.validate(catalog).violationsOf(SchemaIncompatible.class).size());
  }
}
