package io.deltasql.core.data;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.PrimitiveType;
import java.util.Arrays;

/**
 * The state of one {@link Aggregation.Call} for every group of an {@link Aggregator}, in
 * primitive arrays indexed by the group's number: {@link #addRun} folds in a run of records of
 * its column, in order, {@link #result} gives a group's value.
 */
abstract class Accumulator {
  /** Holds at least {@code groups} groups (new ones empty). */
  abstract void ensure(int groups);

  /**
   * Folds a run of {@code n} records in, record {@code i} into group {@code groups[i]}, or into
   * none when that is -1 (a deleted row).
   */
  abstract void addRun(int[] groups, int n);

  /** The result of group {@code group}. */
  abstract Object result(int group);

  /** The accumulator of {@code function} over {@code column} of type {@code type} (both null for {@code COUNT(*)}). */
  static Accumulator of(Aggregation.Function function, AggregatedColumn column, DataType type) {
    return switch (function) {
      case COUNT_ROWS -> new Count(null);
      case COUNT -> new Count(column);
      case SUM, SUM0 -> type == PrimitiveType.DOUBLE
          ? new DoubleSum(column, function == Aggregation.Function.SUM0)
          : new LongSum(column, function == Aggregation.Function.SUM0);
      case MIN, MAX -> new LongExtreme(column, function == Aggregation.Function.MAX, (PrimitiveType) type);
    };
  }

  /** {@code COUNT(*)}, or {@code COUNT(column)} when a column is given. */
  private static final class Count extends Accumulator {
    private final AggregatedColumn column;
    private long[] counts = new long[0];

    Count(AggregatedColumn column) {
      this.column = column;
    }

    @Override
    void ensure(int groups) {
      if (counts.length < groups) {
        counts = Arrays.copyOf(counts, Math.max(groups, counts.length * 2));
      }
    }

    @Override
    void addRun(int[] groups, int n) {
      boolean everyRecord = column == null || column.hasNoNulls();
      for (int i = 0; i < n; i++) {
        int group = groups[i];
        if (group >= 0 && (everyRecord || !column.isNull(i))) {
          counts[group]++;
        }
      }
    }

    @Override
    Object result(int group) {
      return counts[group];
    }
  }

  /**
   * What the sums and extremes share: whether a group has seen a value that is not NULL, and
   * its result then (else NULL, or the value a {@code $SUM0} has over no values).
   */
  private abstract static class OfValues extends Accumulator {
    final AggregatedColumn column;
    private final boolean zeroWhenEmpty;
    boolean[] seen = new boolean[0];

    OfValues(AggregatedColumn column, boolean zeroWhenEmpty) {
      this.column = column;
      this.zeroWhenEmpty = zeroWhenEmpty;
    }

    @Override
    Object result(int group) {
      return seen[group] || zeroWhenEmpty ? value(group) : null;
    }

    /** The group's value (its initial one if it has seen no value). */
    abstract Object value(int group);

    @Override
    void ensure(int groups) {
      if (seen.length < groups) {
        int size = Math.max(groups, seen.length * 2);
        seen = Arrays.copyOf(seen, size);
        resize(size);
      }
    }

    abstract void resize(int size);
  }

  /** An integer sum as a BIGINT, checked for overflow at each addition. */
  private static final class LongSum extends OfValues {
    private long[] sums = new long[0];

    LongSum(AggregatedColumn column, boolean zeroWhenEmpty) {
      super(column, zeroWhenEmpty);
    }

    @Override
    void resize(int size) {
      sums = Arrays.copyOf(sums, size);
    }

    @Override
    void addRun(int[] groups, int n) {
      int k = column.firstValue();
      if (column.hasNoNulls()) {
        int[] ids = column.dictionaryIds();
        if (ids != null) {
          long[] entries = column.entryLongs();
          for (int i = 0; i < n; i++) {
            add(groups[i], entries[ids[k + i]]);
          }
          return;
        }
        int[] ints = column.plainInts();
        if (ints != null) {
          for (int i = 0; i < n; i++) {
            add(groups[i], ints[k + i]);
          }
          return;
        }
        long[] longs = column.plainLongs();
        if (longs != null) {
          for (int i = 0; i < n; i++) {
            add(groups[i], longs[k + i]);
          }
          return;
        }
      }
      for (int i = 0; i < n; i++) {
        if (!column.isNull(i)) {
          add(groups[i], column.longValue(k++));
        }
      }
    }

    private void add(int group, long value) {
      if (group < 0) {
        return;
      }
      try {
        sums[group] = Math.addExact(sums[group], value);
      } catch (ArithmeticException e) {
        throw new DeltaException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
            "Numeric value out of range in SUM: the sum exceeds the BIGINT range");
      }
      seen[group] = true;
    }

    @Override
    Object value(int group) {
      return sums[group];
    }
  }

  /** A DOUBLE sum, from 0.0, in the order the records come. */
  private static final class DoubleSum extends OfValues {
    private double[] sums = new double[0];

    DoubleSum(AggregatedColumn column, boolean zeroWhenEmpty) {
      super(column, zeroWhenEmpty);
    }

    @Override
    void resize(int size) {
      sums = Arrays.copyOf(sums, size);
    }

    @Override
    void addRun(int[] groups, int n) {
      int k = column.firstValue();
      if (column.hasNoNulls()) {
        int[] ids = column.dictionaryIds();
        if (ids != null) {
          double[] entries = column.entryDoubles();
          for (int i = 0; i < n; i++) {
            int group = groups[i];
            if (group >= 0) {
              sums[group] += entries[ids[k + i]];
              seen[group] = true;
            }
          }
          return;
        }
        double[] doubles = column.plainDoubles();
        if (doubles != null) {
          for (int i = 0; i < n; i++) {
            int group = groups[i];
            if (group >= 0) {
              sums[group] += doubles[k + i];
              seen[group] = true;
            }
          }
          return;
        }
      }
      for (int i = 0; i < n; i++) {
        if (column.isNull(i)) {
          continue;
        }
        int group = groups[i];
        if (group >= 0) {
          sums[group] += column.doubleValue(k);
          seen[group] = true;
        }
        k++;
      }
    }

    @Override
    Object value(int group) {
      return sums[group];
    }
  }

  /** MIN or MAX of an integer column, given as a value of the column's type. */
  private static final class LongExtreme extends OfValues {
    private final boolean max;
    private final PrimitiveType type;
    private long[] values = new long[0];

    LongExtreme(AggregatedColumn column, boolean max, PrimitiveType type) {
      super(column, false);
      this.max = max;
      this.type = type;
    }

    @Override
    void resize(int size) {
      values = Arrays.copyOf(values, size);
    }

    @Override
    void addRun(int[] groups, int n) {
      int k = column.firstValue();
      for (int i = 0; i < n; i++) {
        if (column.isNull(i)) {
          continue;
        }
        int group = groups[i];
        if (group >= 0) {
          long value = column.longValue(k);
          if (!seen[group] || (max ? value > values[group] : value < values[group])) {
            values[group] = value;
            seen[group] = true;
          }
        }
        k++;
      }
    }

    @Override
    Object value(int group) {
      long value = values[group];
      return switch (type) {
        case BYTE -> (byte) value;
        case SHORT -> (short) value;
        case INTEGER -> (int) value;
        default -> value;
      };
    }
  }
}
