package io.deltasql.core.txn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which Delta writer features deltasql can honour, decided conservatively: a writer that
 * ignores a feature it does not know corrupts the table for every other reader.
 *
 * <ul>
 *   <li>{@link #SUPPORTED}: honoured whatever the table holds. {@code appendOnly} is
 *       enforced by validation ({@link ConsistencyViolation.AppendOnlyViolation});
 *       {@code inCommitTimestamp} is how deltasql commits (DESIGN.md); {@code domainMetadata}
 *       is staged as actions.
 *   <li>{@link #SUPPORTED_WHEN_UNUSED}: allowed while the table does not use them, as Delta
 *       Kernel does. A legacy protocol (writer version 2 to 6) implies several of these
 *       ({@code invariants} from version 2, which most Spark tables have), and they cost
 *       nothing until a column has an invariant, a constraint is defined, and so on. Once
 *       in use, deltasql would have to evaluate expressions, write CDC files, physical
 *       column names or identity values, which it does not yet.
 *   <li>Everything else, e.g. {@code deletionVectors}, {@code rowTracking},
 *       {@code typeWidening}, {@code v2Checkpoint}, {@code clustering}, {@code icebergCompatV2},
 *       {@code vacuumProtocolCheck}, and writer versions above 7: unsupported.
 * </ul>
 */
public final class WriterFeatureSupport {
  /** Writer features honoured on any table. */
  public static final Set<String> SUPPORTED = Set.of("appendOnly", "inCommitTimestamp", "domainMetadata",
      "timestampNtz");

  /** Writer features honoured while the table does not use them. */
  public static final Set<String> SUPPORTED_WHEN_UNUSED = Set.of("invariants", "checkConstraints",
      "generatedColumns", "identityColumns", "changeDataFeed", "columnMapping", "variantType");

  private static final String TIMESTAMP_NTZ = "timestampNtz";

  /** The highest writer version deltasql knows. */
  public static final int MAX_WRITER_VERSION = Protocol.TABLE_FEATURES_WRITER_VERSION;

  private WriterFeatureSupport() {}

  /**
   * The writer features a protocol requires: its listed features from writer version 7,
   * the ones its legacy writer version implies below.
   */
  public static Set<String> requiredFeatures(Protocol protocol) {
    Checks.notNull(protocol, "protocol");
    if (protocol.supportsWriterFeatures()) {
      return protocol.writerFeatures();
    }
    Set<String> implied = new LinkedHashSet<>();
    int v = protocol.minWriterVersion();
    if (v >= 2) {
      implied.add("appendOnly");
      implied.add("invariants");
    }
    if (v >= 3) {
      implied.add("checkConstraints");
    }
    if (v >= 4) {
      implied.add("changeDataFeed");
      implied.add("generatedColumns");
    }
    if (v >= 5) {
      implied.add("columnMapping");
    }
    if (v >= 6) {
      implied.add("identityColumns");
    }
    return implied;
  }

  /**
   * The features of {@code protocol} that deltasql cannot honour on a table with this
   * metadata and schema (empty schema: checks that need it are skipped), in protocol order.
   */
  public static List<String> unsupported(Protocol protocol, Metadata metadata, Optional<StructType> schema) {
    Checks.notNull(metadata, "metadata");
    Checks.notNull(schema, "schema");
    List<String> unsupported = new ArrayList<>();
    if (protocol.minWriterVersion() > MAX_WRITER_VERSION) {
      unsupported.add("writerVersion" + protocol.minWriterVersion());
    }
    for (String feature : requiredFeatures(protocol)) {
      if (SUPPORTED.contains(feature)) {
        continue;
      }
      if (!SUPPORTED_WHEN_UNUSED.contains(feature) || inUse(feature, metadata, schema)) {
        unsupported.add(feature);
      }
    }
    return unsupported;
  }

  /**
   * {@code protocol} with the table features a table of {@code schema} needs: {@code timestampNtz},
   * a reader and writer feature (reader version 3, writer version 7), when a column, nested or
   * not, is {@code timestamp_ntz}. Features a legacy version implied are listed explicitly, so
   * nothing the table required before is dropped. The protocol itself when it has them already.
   */
  public static Protocol withFeaturesFor(Protocol protocol, StructType schema) {
    Checks.notNull(protocol, "protocol");
    Checks.notNull(schema, "schema");
    boolean listed = protocol.supportsReaderFeatures() && protocol.readerFeatures().contains(TIMESTAMP_NTZ)
        && protocol.supportsWriterFeatures() && protocol.writerFeatures().contains(TIMESTAMP_NTZ);
    if (listed || !containsType(schema, PrimitiveType.TIMESTAMP_NTZ)) {
      return protocol;
    }
    Set<String> readerFeatures = new LinkedHashSet<>(protocol.supportsReaderFeatures() ? protocol.readerFeatures()
        : protocol.minReaderVersion() >= 2 ? Set.of("columnMapping") : Set.of());
    readerFeatures.add(TIMESTAMP_NTZ);
    Set<String> writerFeatures = new LinkedHashSet<>(requiredFeatures(protocol));
    writerFeatures.addAll(readerFeatures);
    return new Protocol(Protocol.TABLE_FEATURES_READER_VERSION, Protocol.TABLE_FEATURES_WRITER_VERSION, readerFeatures,
        writerFeatures);
  }

  /** A one-line list of what is supported, for messages. */
  static String summary() {
    return String.join(", ", new java.util.TreeSet<>(SUPPORTED)) + "; while unused: "
        + String.join(", ", new java.util.TreeSet<>(SUPPORTED_WHEN_UNUSED));
  }

  private static boolean inUse(String feature, Metadata metadata, Optional<StructType> schema) {
    Map<String, String> conf = metadata.configuration();
    return switch (feature) {
      case "checkConstraints" -> conf.keySet().stream().anyMatch(k -> k.startsWith("delta.constraints."));
      case "changeDataFeed" -> "true".equalsIgnoreCase(conf.get("delta.enableChangeDataFeed"));
      case "columnMapping" -> {
        String mode = conf.get("delta.columnMapping.mode");
        yield mode != null && !mode.equalsIgnoreCase("none");
      }
      case "invariants" -> anyFieldMetadata(schema, m -> m.has("delta.invariants"));
      case "generatedColumns" -> anyFieldMetadata(schema, m -> m.has("delta.generationExpression"));
      case "identityColumns" -> anyFieldMetadata(schema, WriterFeatureSupport::hasIdentity);
      case "variantType" -> anyType(schema, PrimitiveType.VARIANT);
      default -> true;
    };
  }

  private static boolean hasIdentity(ObjectNode m) {
    for (Iterator<String> names = m.fieldNames(); names.hasNext(); ) {
      if (names.next().startsWith("delta.identity.")) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyFieldMetadata(Optional<StructType> schema, Predicate<ObjectNode> test) {
    return schema.isPresent() && anyField(schema.get(), f -> test.test(f.metadata()));
  }

  private static boolean anyType(Optional<StructType> schema, PrimitiveType type) {
    return schema.isPresent() && containsType(schema.get(), type);
  }

  private static boolean anyField(DataType type, Predicate<StructField> test) {
    if (type instanceof StructType s) {
      for (StructField f : s.fields()) {
        if (test.test(f) || anyField(f.type(), test)) {
          return true;
        }
      }
    } else if (type instanceof ArrayType a) {
      return anyField(a.elementType(), test);
    } else if (type instanceof MapType m) {
      return anyField(m.keyType(), test) || anyField(m.valueType(), test);
    }
    return false;
  }

  private static boolean containsType(DataType type, PrimitiveType wanted) {
    if (type == wanted) {
      return true;
    }
    if (type instanceof StructType s) {
      return s.fields().stream().anyMatch(f -> containsType(f.type(), wanted));
    }
    if (type instanceof ArrayType a) {
      return containsType(a.elementType(), wanted);
    }
    if (type instanceof MapType m) {
      return containsType(m.keyType(), wanted) || containsType(m.valueType(), wanted);
    }
    return false;
  }
}
