package io.deltasql.core.data;

import static io.deltasql.core.data.TestTables.field;
import static io.deltasql.core.data.TestTables.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.storage.LocalStorage;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Skipping never loses a row: over random data in many small row groups (sorted or not) and
 * random predicates, the rows a filtered read returns, filtered in Java, are exactly the rows
 * of a full read filtered in Java. The Java filter here is written independently of the
 * reader, with SQL's three-valued logic and the package's order of values.
 */
class RowGroupSkippingProperties {
  static final StructType SCHEMA = struct(
      field("k", PrimitiveType.LONG, false),
      field("i", PrimitiveType.INTEGER),
      field("d", PrimitiveType.DOUBLE),
      field("s", PrimitiveType.STRING),
      field("day", PrimitiveType.DATE),
      field("nested", struct(field("x", PrimitiveType.INTEGER))),
      field("part", PrimitiveType.INTEGER));
  static final List<String> COLUMNS = List.of("k", "i", "d", "s", "day", "nested.x", "part");
  static final List<Double> DOUBLES = List.of(-1.5, -0.0, 0.0, 0.5, 2.0, 7.25,
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
  static final List<String> STRINGS = List.of("", "a", "ab", "b", "é", "\uD83D\uDE00", "z");

  private Path dir;

  @BeforeTry
  void createDir() throws IOException {
    dir = Files.createTempDirectory("skipping");
  }

  @AfterTry
  void deleteDir() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Property(tries = 80)
  void skippingNeverDropsAMatchingRow(@ForAll("rows") List<Object[]> rows,
      @ForAll("predicates") Predicate predicate, @ForAll boolean sorted,
      @ForAll("rowGroupRows") int rowGroupRows) {
    List<Object[]> input = new ArrayList<>(rows);
    if (sorted) {
      input.sort(Comparator.comparing(r -> (Long) r[0]));
    }
    Metadata metadata = TestTables.metadata(SCHEMA, List.of("part"));
    List<AddFile> files = DataFileWriter.of(LocalStorage.INSTANCE, dir.toString(), metadata,
        WriteOptions.DEFAULTS.withRowGroupRowLimit(rowGroupRows)).write(input);
    DataFileReader reader = DataFileReader.of(LocalStorage.INSTANCE, dir.toString(), metadata);
    List<Object[]> skipped = new ArrayList<>();
    for (AddFile file : files) {
      skipped.addAll(reader.read(file, SCHEMA.fieldNames(), predicate).toList());
    }
    List<Object[]> expected = input.stream().filter(r -> matches(predicate, r)).toList();
    List<Object[]> actual = skipped.stream().filter(r -> matches(predicate, r)).toList();
    assertEquals(Rows.multiset(expected), Rows.multiset(actual), predicate.toString());
    Statistics.label("rows skipped").collect(skipped.size() < input.size());
  }

  @Provide
  Arbitrary<Integer> rowGroupRows() {
    return Arbitraries.integers().between(1, 40);
  }

  @Provide
  Arbitrary<List<Object[]>> rows() {
    Arbitrary<Object[]> row = Combinators.combine(
        Arbitraries.longs().between(-60, 60),
        nullable(Arbitraries.integers().between(-5, 5)),
        nullable(Arbitraries.of(DOUBLES)),
        nullable(Arbitraries.of(STRINGS)),
        nullable(Arbitraries.integers().between(0, 9).map(n -> LocalDate.of(2024, 1, 1 + n))),
        nullable(nullable(Arbitraries.integers().between(0, 3)).map(x -> new Object[] {x})),
        nullable(Arbitraries.integers().between(0, 2)))
        .as((k, i, d, s, day, nested, part) -> new Object[] {k, i, d, s, day, nested, part});
    return row.list().ofMinSize(0).ofMaxSize(300);
  }

  private static <T> Arbitrary<T> nullable(Arbitrary<T> values) {
    return values.injectNull(0.15);
  }

  @Provide
  Arbitrary<Predicate> predicates() {
    return predicate(3);
  }

  private Arbitrary<Predicate> predicate(int depth) {
    Arbitrary<Predicate> leaf = Arbitraries.oneOf(comparison(), isNull());
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<Predicate> and = Combinators.combine(predicate(depth - 1), predicate(depth - 1))
        .as(Predicate::and);
    Arbitrary<Predicate> or = Combinators.combine(predicate(depth - 1), predicate(depth - 1))
        .as(Predicate::or);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(3, leaf), net.jqwik.api.Tuple.of(1, and),
        net.jqwik.api.Tuple.of(1, or));
  }

  private Arbitrary<Predicate> isNull() {
    return Combinators.combine(Arbitraries.of(COLUMNS), Arbitraries.of(true, false))
        .as((c, negated) -> new Predicate.IsNull(List.of(c.split("\\.")), negated));
  }

  private Arbitrary<Predicate> comparison() {
    Arbitrary<Predicate.Op> ops = Arbitraries.of(Predicate.Op.class);
    return Arbitraries.oneOf(
        Combinators.combine(ops, Arbitraries.longs().between(-70, 70))
            .as((op, v) -> new Predicate.Comparison(List.of("k"), op, v)),
        Combinators.combine(ops, Arbitraries.integers().between(-6, 6))
            .as((op, v) -> new Predicate.Comparison(List.of("i"), op, v)),
        Combinators.combine(ops, Arbitraries.of(DOUBLES))
            .as((op, v) -> new Predicate.Comparison(List.of("d"), op, v)),
        Combinators.combine(ops, Arbitraries.of(STRINGS))
            .as((op, v) -> new Predicate.Comparison(List.of("s"), op, v)),
        Combinators.combine(ops, Arbitraries.integers().between(0, 10))
            .as((op, n) -> new Predicate.Comparison(List.of("day"), op,
                LocalDate.of(2023, 12, 31).plusDays(n))),
        Combinators.combine(ops, Arbitraries.integers().between(-1, 4))
            .as((op, v) -> new Predicate.Comparison(List.of("nested", "x"), op, v)),
        Combinators.combine(ops, Arbitraries.integers().between(-1, 3))
            .as((op, v) -> new Predicate.Comparison(List.of("part"), op, v)));
  }

  // ---- an independent evaluator: SQL three-valued logic ----

  static boolean matches(Predicate p, Object[] row) {
    return Boolean.TRUE.equals(eval(p, row));
  }

  private static Boolean eval(Predicate p, Object[] row) {
    if (p instanceof Predicate.And and) {
      Boolean l = eval(and.left(), row);
      Boolean r = eval(and.right(), row);
      if (Boolean.FALSE.equals(l) || Boolean.FALSE.equals(r)) {
        return false;
      }
      return l == null || r == null ? null : true;
    }
    if (p instanceof Predicate.Or or) {
      Boolean l = eval(or.left(), row);
      Boolean r = eval(or.right(), row);
      if (Boolean.TRUE.equals(l) || Boolean.TRUE.equals(r)) {
        return true;
      }
      return l == null || r == null ? null : false;
    }
    if (p instanceof Predicate.IsNull isNull) {
      return (value(row, isNull.column()) == null) != isNull.negated();
    }
    Predicate.Comparison c = (Predicate.Comparison) p;
    Object value = value(row, c.column());
    if (value == null) {
      return null;
    }
    int cmp = compare(value, c.literal());
    return switch (c.op()) {
      case EQ -> cmp == 0;
      case LT -> cmp < 0;
      case LE -> cmp <= 0;
      case GT -> cmp > 0;
      case GE -> cmp >= 0;
    };
  }

  private static Object value(Object[] row, List<String> column) {
    int index = COLUMNS.indexOf(column.get(0));
    if (column.size() == 1) {
      return row[index == 5 ? 6 : index];
    }
    Object[] nested = (Object[]) row[5];
    return nested == null ? null : nested[0];
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a instanceof Double x) {
      double y = (Double) b;
      if (Double.isNaN(x) || Double.isNaN(y)) {
        return Double.isNaN(x) && Double.isNaN(y) ? 0 : Double.isNaN(x) ? 1 : -1;
      }
      return x == y ? 0 : x < y ? -1 : 1;
    }
    if (a instanceof String x) {
      int[] cx = x.codePoints().toArray();
      int[] cy = ((String) b).codePoints().toArray();
      return java.util.Arrays.compare(cx, cy);
    }
    return ((Comparable) a).compareTo(b);
  }
}
