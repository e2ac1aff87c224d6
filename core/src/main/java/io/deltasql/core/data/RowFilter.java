package io.deltasql.core.data;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A {@link Predicate} evaluated on single records, so that a reader can leave out records it
 * rules out before decoding their columns. Like the rest of skipping it errs towards "may
 * match": a record is ruled out only when the predicate is certainly not true for it. Whatever
 * it cannot judge exactly as SQL would counts as a match: a nested column, a column not read,
 * and orderings of strings and binaries (code point order is not the order every caller
 * compares in; equality is the same in all).
 *
 * <p>Bound to a row group's columns ({@link #onColumns}), it reads the next record of each
 * column it tests from the page's arrays, without moving past it (see {@link ColumnTest}).
 */
final class RowFilter {
  /** The filter bound to the columns of one row group: a test of their next record, or of a run of them. */
  interface RecordTest {
    /** False only when the predicate is certainly not true for the next record. */
    boolean mayMatch();

    /**
     * How many of the next {@code n} records the predicate certainly rules out, counted from the
     * next one up to the first it may not: {@code n} when it rules out all of them. The
     * {@code n} records must lie in the current page of every column read ({@link
     * PageColumn#remainingInPage}); nothing moves.
     */
    int ruledOut(int n);
  }

  /** A test whose answer is the same for every record (a partition value's). */
  private record Constant(boolean matches) implements RecordTest {
    @Override
    public boolean mayMatch() {
      return matches;
    }

    @Override
    public int ruledOut(int n) {
      return matches ? 0 : n;
    }
  }

  /** One node of the predicate, its leaves bound to a position of the row or to a partition value. */
  private sealed interface Test {
    RecordTest onColumns(PageColumn[] columns);
  }

  private record Compare(int slot, Object constant, Predicate.Op op, Object literal) implements Test {
    @Override
    public RecordTest onColumns(PageColumn[] columns) {
      if (slot < 0) {
        return new Constant(constant != null && op.test(ValueOrder.compare(constant, literal)));
      }
      return new ColumnTest(columns[slot], op, literal);
    }
  }

  private record Null(int slot, Object constant, boolean negated) implements Test {
    @Override
    public RecordTest onColumns(PageColumn[] columns) {
      if (slot < 0) {
        return new Constant((constant == null) != negated);
      }
      PageColumn column = columns[slot];
      return new RecordTest() {
        @Override
        public boolean mayMatch() {
          return column.isNull() != negated;
        }

        @Override
        public int ruledOut(int n) {
          int i = 0;
          while (i < n && column.isNullAhead(i) == negated) {
            i++;
          }
          return i;
        }
      };
    }
  }

  private record Both(Test left, Test right) implements Test {
    @Override
    public RecordTest onColumns(PageColumn[] columns) {
      RecordTest l = left.onColumns(columns);
      RecordTest r = right.onColumns(columns);
      return new RecordTest() {
        @Override
        public boolean mayMatch() {
          return l.mayMatch() && r.mayMatch();
        }

        /** A record either side rules out is ruled out: the longer of the two runs. */
        @Override
        public int ruledOut(int n) {
          int byLeft = l.ruledOut(n);
          return byLeft == n ? n : Math.max(byLeft, r.ruledOut(n));
        }
      };
    }
  }

  private record Either(Test left, Test right) implements Test {
    @Override
    public RecordTest onColumns(PageColumn[] columns) {
      RecordTest l = left.onColumns(columns);
      RecordTest r = right.onColumns(columns);
      return new RecordTest() {
        @Override
        public boolean mayMatch() {
          return l.mayMatch() || r.mayMatch();
        }

        /** A record is ruled out only when both sides rule it out: the shorter of the two runs. */
        @Override
        public int ruledOut(int n) {
          int byLeft = l.ruledOut(n);
          return byLeft == 0 ? 0 : r.ruledOut(byLeft);
        }
      };
    }
  }

  private final Test test;

  private RowFilter(Test test) {
    this.test = test;
  }

  /**
   * The predicate over rows laid out by {@code slotOf}, or null when it can rule out no row.
   *
   * @param slotOf the position in the row of a top-level column (by schema index), or -1 when
   *     the row does not hold it
   * @param partitionValues the file's partition values by schema index (others null)
   */
  static RowFilter of(Predicate predicate, TableLayout layout, ToIntFunction<Integer> slotOf,
      Object[] partitionValues) {
    Test test = bind(predicate, layout, slotOf, partitionValues);
    return test == null ? null : new RowFilter(test);
  }

  /** A leaf bound to the row, or null for "may match" (nothing to test). */
  private static Test bind(Predicate p, TableLayout layout, ToIntFunction<Integer> slotOf,
      Object[] partitionValues) {
    if (p instanceof Predicate.And and) {
      Test left = bind(and.left(), layout, slotOf, partitionValues);
      Test right = bind(and.right(), layout, slotOf, partitionValues);
      return left == null ? right : right == null ? left : new Both(left, right);
    }
    if (p instanceof Predicate.Or or) {
      Test left = bind(or.left(), layout, slotOf, partitionValues);
      Test right = bind(or.right(), layout, slotOf, partitionValues);
      return left == null || right == null ? null : new Either(left, right);
    }
    List<String> path = p instanceof Predicate.IsNull isNull ? isNull.column()
        : ((Predicate.Comparison) p).column();
    if (path.size() != 1) {
      return null;
    }
    int index = layout.requireIndex(path.get(0));
    int slot = -1;
    Object constant = null;
    if (layout.isPartitionColumn(index)) {
      constant = partitionValues[index];
    } else {
      slot = slotOf.applyAsInt(index);
      if (slot < 0) {
        return null;
      }
    }
    if (p instanceof Predicate.IsNull isNull) {
      return new Null(slot, constant, isNull.negated());
    }
    Predicate.Comparison c = (Predicate.Comparison) p;
    if (!isExact(c.literal(), c.op())) {
      return null;
    }
    return new Compare(slot, constant, c.op(), c.literal());
  }

  /** Whether {@link ValueOrder} compares values like the literal as SQL does, for this operator. */
  private static boolean isExact(Object literal, Predicate.Op op) {
    if (literal instanceof String || literal instanceof byte[]) {
      return op == Predicate.Op.EQ;
    }
    // Doubles and floats: ValueOrder puts NaN above every number and makes it equal to NaN,
    // where SQL finds every comparison with NaN false; both only keep rows SQL may drop.
    return literal instanceof Number || literal instanceof LocalDate || literal instanceof Instant
        || literal instanceof LocalDateTime || literal instanceof Boolean;
  }

  /** This filter over the next record of a row group's columns, by position in the row. */
  RecordTest onColumns(PageColumn[] columns) {
    return test.onColumns(columns);
  }
}
