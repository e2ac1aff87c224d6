package io.deltasql.bench;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;

/**
 * An order-independent digest of a query result, to check that two engines returned the same
 * rows without keeping them: the row count and, per column, the sum of its numbers (as
 * {@code double}) or the sum of its strings' hash codes (other values by their string form),
 * and the number of nulls. Two results match when counts, hashes and nulls are equal and the
 * numeric sums agree to a relative 1e-9 (engines add floating-point values in different orders).
 */
public record ResultSummary(long rows, double[] sums, long[] hashes, long[] nulls) {
  private static final double TOLERANCE = 1e-9;

  /** Reads every row of {@code rs} (every value through {@code getObject}) and digests them. */
  public static ResultSummary of(ResultSet rs) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    double[] sums = new double[n];
    long[] hashes = new long[n];
    long[] nulls = new long[n];
    long rows = 0;
    while (rs.next()) {
      rows++;
      for (int i = 0; i < n; i++) {
        Object value = rs.getObject(i + 1);
        if (value == null) {
          nulls[i]++;
        } else if (value instanceof Number number) {
          sums[i] += number instanceof BigDecimal d ? d.doubleValue() : number.doubleValue();
        } else {
          hashes[i] += value.toString().hashCode();
        }
      }
    }
    return new ResultSummary(rows, sums, hashes, nulls);
  }

  /** Whether the two digests describe the same multiset of rows (see the class comment). */
  public boolean matches(ResultSummary other) {
    if (rows != other.rows || !Arrays.equals(hashes, other.hashes) || !Arrays.equals(nulls, other.nulls)
        || sums.length != other.sums.length) {
      return false;
    }
    for (int i = 0; i < sums.length; i++) {
      double a = sums[i];
      double b = other.sums[i];
      if (Math.abs(a - b) > TOLERANCE * Math.max(1, Math.max(Math.abs(a), Math.abs(b)))) {
        return false;
      }
    }
    return true;
  }

  /** Throws unless {@code actual} matches this digest. */
  public void require(String what, ResultSummary actual) {
    if (!matches(actual)) {
      throw new IllegalStateException(what + " returned " + actual + ", expected " + this);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "{rows=%d, sums=%s, hashes=%s, nulls=%s}", rows, Arrays.toString(sums),
        Arrays.toString(hashes), Arrays.toString(nulls));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResultSummary other && rows == other.rows && Arrays.equals(sums, other.sums)
        && Arrays.equals(hashes, other.hashes) && Arrays.equals(nulls, other.nulls);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(rows) * 31 + Arrays.hashCode(hashes);
  }
}
