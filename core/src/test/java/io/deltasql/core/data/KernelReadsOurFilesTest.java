package io.deltasql.core.data;

import static io.deltasql.core.data.TestTables.field;
import static io.deltasql.core.data.TestTables.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.json.CommitJson;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.storage.StoragePaths;
import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Delta Kernel 4.0.0 reads the tables we write (a hand-made first commit holding our
 * {@code add} actions): the same rows through its own Parquet reader, our partition values,
 * column mapping, an inline deletion vector we encoded, and file skipping by our statistics.
 */
class KernelReadsOurFilesTest {
  static final StructType SCHEMA = struct(
      field("id", PrimitiveType.LONG, false),
      field("i", PrimitiveType.INTEGER),
      field("s", PrimitiveType.SHORT),
      field("b", PrimitiveType.BYTE),
      field("f", PrimitiveType.FLOAT),
      field("d", PrimitiveType.DOUBLE),
      field("flag", PrimitiveType.BOOLEAN),
      field("str", PrimitiveType.STRING),
      field("bin", PrimitiveType.BINARY),
      field("day", PrimitiveType.DATE),
      field("ts", PrimitiveType.TIMESTAMP),
      field("ntz", PrimitiveType.TIMESTAMP_NTZ),
      field("small", new DecimalType(5, 2)),
      field("big", new DecimalType(30, 7)),
      field("point", struct(field("x", PrimitiveType.DOUBLE), field("label", PrimitiveType.STRING))),
      field("items", new ArrayType(struct(field("n", PrimitiveType.INTEGER)), true)),
      field("attrs", new MapType(PrimitiveType.STRING, PrimitiveType.LONG, true)),
      field("p_str", PrimitiveType.STRING),
      field("p_day", PrimitiveType.DATE),
      field("p_int", PrimitiveType.INTEGER));
  static final List<String> PARTITIONS = List.of("p_str", "p_day", "p_int");

  @TempDir
  Path dir;

  static List<Object[]> rows(int count) {
    Random r = new Random(17);
    List<Object[]> rows = new ArrayList<>();
    for (int n = 0; n < count; n++) {
      Map<Object, Object> attrs = new LinkedHashMap<>();
      attrs.put("a" + r.nextInt(3), (long) n);
      attrs.put("none", null);
      rows.add(new Object[] {(long) n, r.nextInt(), (short) r.nextInt(), (byte) r.nextInt(),
          r.nextFloat(), r.nextInt(9) == 0 ? null : r.nextGaussian(), r.nextBoolean(),
          r.nextInt(9) == 0 ? null : "str " + r.nextInt(1000) + " ü", new byte[] {(byte) n, 7},
          LocalDate.ofEpochDay(r.nextInt(30_000)),
          Instant.ofEpochSecond(r.nextInt(), r.nextInt(1_000_000) * 1000L),
          LocalDateTime.of(2001, 2, 3, 4, 5, 6, r.nextInt(1_000_000) * 1000),
          BigDecimal.valueOf(r.nextInt(99_999), 2),
          new BigDecimal(new java.math.BigInteger(90, r), 7),
          r.nextInt(9) == 0 ? null : new Object[] {r.nextDouble(), "L" + n},
          Arrays.asList(new Object[] {n}, null),
          attrs,
          // partitions by id range, so that each file holds a narrow range of ids
          n / 40 % 4 == 3 ? null : List.of("a b", "c/d=e", "f%g").get(n / 40 % 4),
          LocalDate.of(2024, 1, 1 + n / 160),
          n / 20 % 3 == 2 ? null : n / 20 % 3});
    }
    return rows;
  }

  @ParameterizedTest
  @EnumSource(ColumnMappingMode.class)
  void kernelReadsTheRowsWeWrote(ColumnMappingMode mode) {
    StructType schema = mode == ColumnMappingMode.NONE ? SCHEMA : TestTables.withColumnMapping(SCHEMA);
    Map<String, String> config = new HashMap<>();
    Set<String> features = new java.util.HashSet<>(Set.of("timestampNtz", "deletionVectors"));
    config.put("delta.enableDeletionVectors", "true");
    if (mode != ColumnMappingMode.NONE) {
      config.put(ColumnMappingMode.PROPERTY, mode.name().toLowerCase(Locale.ROOT));
      config.put("delta.columnMapping.maxColumnId", "100");
      features.add("columnMapping");
    }
    Metadata metadata = TestTables.metadata(schema, PARTITIONS, config);
    List<Object[]> rows = rows(320);
    List<AddFile> files = new ArrayList<>(DataFileWriter.of(LocalStorage.INSTANCE, dir.toString(),
        metadata, WriteOptions.DEFAULTS.withTargetFileSize(16 * 1024)).write(rows));
    // A deletion vector file of ours on the first file: rows 0 and 2 of that file are deleted.
    // (Not inline: Kernel 4.0.0's DeletionVectorDescriptor.isInline() compares the storage type
    // with == and so never takes a parsed "i" for inline.)
    DeletionVector deleted = DeletionVector.of(0, 2);
    java.util.UUID uuid = java.util.UUID.randomUUID();
    LocalStorage.INSTANCE.write(dir.resolve("deletion_vector_" + uuid + ".bin").toString(),
        DeletionVectorLoader.fileOf(deleted));
    AddFile first = files.get(0);
    files.set(0, new AddFile(first.path(), first.partitionValues(), first.size(),
        first.modificationTime(), true, first.stats(), Map.of(),
        Optional.of(new io.deltasql.core.actions.DeletionVectorDescriptor("u",
            Z85.encodeUuid(uuid), Optional.of(1), deleted.serialize().length, 2)),
        Optional.empty(), Optional.empty(), Optional.empty()));
    List<Action> commit = new ArrayList<>();
    commit.add(new Protocol(3, 7, features, features));
    commit.add(metadata);
    commit.addAll(files);
    LocalStorage.INSTANCE.write(StoragePaths.join(StoragePaths.logDir(dir.toString()),
        "00000000000000000000.json"), CommitJson.write(commit));

    List<Object[]> ours = TestTables.readAll(dir, metadata, files);
    assertEquals(rows.size() - 2, ours.size());
    List<Object[]> kernel = kernelRows(null);
    assertEquals(Rows.render(Rows.multiset(ours)), Rows.render(Rows.multiset(kernel)));
    assertEquals(Rows.multiset(ours), Rows.multiset(kernel));

    for (long id : new long[] {177}) {
      List<Object[]> matching = kernelRows(new io.delta.kernel.expressions.Predicate("=",
          new Column("id"), Literal.ofLong(id)));
      assertTrue(matching.stream().anyMatch(r -> r[0].equals(id)), "Kernel skipped row " + id);
      assertTrue(matching.size() < ours.size() / 2, "Kernel skips files by our statistics");
    }
  }

  private List<Object[]> kernelRows(io.delta.kernel.expressions.Predicate filter) {
    return KernelScan.rows(dir.toString(), SCHEMA, filter);
  }
}
