package io.deltasql.core.txn;

import static io.deltasql.core.txn.TxnFixtures.BASE_SCHEMA;
import static io.deltasql.core.txn.TxnFixtures.metadata;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WriterFeatureSupportTest {
  private static final Metadata PLAIN = metadata(BASE_SCHEMA);

  private static List<String> unsupported(Protocol p, Metadata m, StructType schema) {
    return WriterFeatureSupport.unsupported(p, m, Optional.of(schema));
  }

  @Test
  void legacyProtocolsImplyTheirFeatures() {
    assertEquals(Set.of(), WriterFeatureSupport.requiredFeatures(new Protocol(1, 1)));
    assertEquals(Set.of("appendOnly", "invariants"), WriterFeatureSupport.requiredFeatures(new Protocol(1, 2)));
    assertEquals(Set.of("appendOnly", "invariants", "checkConstraints", "changeDataFeed", "generatedColumns",
        "columnMapping", "identityColumns"), WriterFeatureSupport.requiredFeatures(new Protocol(2, 6)));
  }

  @Test
  void unusedLegacyFeaturesAreFine() {
    for (int v = 1; v <= 6; v++) {
      assertEquals(List.of(), unsupported(new Protocol(1, v), PLAIN, BASE_SCHEMA), "writer version " + v);
    }
  }

  @Test
  void legacyFeaturesInUseAreUnsupported() {
    ObjectNode invariant = TxnFixtures.json().put("delta.invariants", "{\"expression\":{\"expression\":\"id > 0\"}}");
    StructType withInvariant = new StructType(List.of(new StructField("id", PrimitiveType.LONG, true, invariant)));
    assertEquals(List.of("invariants"), unsupported(new Protocol(1, 2), metadata(withInvariant), withInvariant));

    Metadata constrained = metadata("table-id", BASE_SCHEMA, List.of(), Map.of("delta.constraints.pos", "id > 0"));
    assertEquals(List.of("checkConstraints"), unsupported(new Protocol(1, 3), constrained, BASE_SCHEMA));
    assertEquals(List.of(), unsupported(new Protocol(1, 2), constrained, BASE_SCHEMA), "v2 does not have the feature");

    Metadata cdf = metadata("table-id", BASE_SCHEMA, List.of(), Map.of("delta.enableChangeDataFeed", "true"));
    assertEquals(List.of("changeDataFeed"), unsupported(new Protocol(1, 4), cdf, BASE_SCHEMA));

    Metadata mapped = metadata("table-id", BASE_SCHEMA, List.of(), Map.of("delta.columnMapping.mode", "name"));
    assertEquals(List.of("columnMapping"), unsupported(new Protocol(2, 5), mapped, BASE_SCHEMA));

    ObjectNode generated = TxnFixtures.json().put("delta.generationExpression", "id * 2");
    ObjectNode identity = TxnFixtures.json().put("delta.identity.start", 1);
    StructType nested = new StructType(List.of(new StructField("s", new StructType(List.of(
        new StructField("g", PrimitiveType.LONG, true, generated),
        new StructField("i", PrimitiveType.LONG, true, identity))), true, TxnFixtures.json())));
    assertEquals(List.of("generatedColumns", "identityColumns"),
        unsupported(new Protocol(2, 6), metadata(nested), nested));
  }

  @Test
  void tableFeatures() {
    Protocol supported = new Protocol(1, 7, Set.of(), Set.of("appendOnly", "inCommitTimestamp", "domainMetadata"));
    assertEquals(List.of(), unsupported(supported, PLAIN, BASE_SCHEMA));
    Protocol unknown = new Protocol(3, 7, Set.of("deletionVectors"), Set.of("deletionVectors", "someFutureFeature"));
    assertEquals(Set.of("deletionVectors", "someFutureFeature"), Set.copyOf(unsupported(unknown, PLAIN, BASE_SCHEMA)));
  }

  @Test
  void timestampNtzIsWrittenAndVariantOnlyWhileUnused() {
    StructType withNtz = TxnFixtures.struct(TxnFixtures.field("ts",
        new ArrayType(PrimitiveType.TIMESTAMP_NTZ, true), true));
    Protocol ntz = new Protocol(3, 7, Set.of("timestampNtz"), Set.of("timestampNtz"));
    assertEquals(List.of(), unsupported(ntz, PLAIN, BASE_SCHEMA));
    assertEquals(List.of(), unsupported(ntz, metadata(withNtz), withNtz));
    Protocol variant = new Protocol(3, 7, Set.of("variantType"), Set.of("variantType"));
    assertEquals(List.of(), unsupported(variant, PLAIN, BASE_SCHEMA));
    StructType withVariant = TxnFixtures.struct(TxnFixtures.field("v", PrimitiveType.VARIANT, true));
    assertEquals(List.of("variantType"), unsupported(variant, metadata(withVariant), withVariant));
  }

  @Test
  void aTimestampNtzColumnListsTheFeature() {
    StructType withNtz = TxnFixtures.struct(TxnFixtures.field("ts",
        new ArrayType(PrimitiveType.TIMESTAMP_NTZ, true), true));
    assertEquals(new Protocol(3, 7, Set.of("timestampNtz"), Set.of("inCommitTimestamp", "timestampNtz")),
        WriterFeatureSupport.withFeaturesFor(InCommitTimestamps.DEFAULT_PROTOCOL, withNtz));
    assertEquals(new Protocol(3, 7, Set.of("columnMapping", "timestampNtz"), Set.of("appendOnly", "invariants",
        "checkConstraints", "changeDataFeed", "generatedColumns", "columnMapping", "timestampNtz")),
        WriterFeatureSupport.withFeaturesFor(new Protocol(2, 5), withNtz), "legacy features are listed");
    Protocol listed = new Protocol(3, 7, Set.of("timestampNtz"), Set.of("timestampNtz"));
    assertEquals(listed, WriterFeatureSupport.withFeaturesFor(listed, withNtz));
    assertEquals(InCommitTimestamps.DEFAULT_PROTOCOL,
        WriterFeatureSupport.withFeaturesFor(InCommitTimestamps.DEFAULT_PROTOCOL, BASE_SCHEMA), "no ntz column");
  }

  @Test
  void writerVersionsAboveSevenAreUnsupported() {
    assertEquals(List.of("writerVersion8"), unsupported(new Protocol(1, 8), PLAIN, BASE_SCHEMA));
  }

  @Test
  void withoutASchemaOnlyConfigurationBasedChecksRun() {
    ObjectNode invariant = TxnFixtures.json().put("delta.invariants", "x");
    StructType withInvariant = new StructType(List.of(new StructField("id", PrimitiveType.LONG, true, invariant)));
    assertEquals(List.of(), WriterFeatureSupport.unsupported(new Protocol(1, 2), metadata(withInvariant), Optional.empty()));
  }
}
