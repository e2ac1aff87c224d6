package io.deltasql.core.data;

import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows read through JDBC in core's Java value mapping (the one {@link ExpectedRows} and
 * {@link KernelScan} produce), so that the three compare with {@link Rows}. The tck's JVM runs
 * in UTC, where JDBC's {@code Timestamp} and {@code Date} carry the stored wall-clock values.
 * SQL timestamps have millisecond precision ({@code TIMESTAMP(3)}): {@link #millis} cuts the
 * other side's microseconds before comparing.
 */
public final class JdbcRows {
  private JdbcRows() {}

  /** {@code SELECT *} of a table, converted with the table's Delta schema. */
  public static List<Object[]> selectAll(Connection connection, String table, StructType schema) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("select * from " + table)) {
      int n = rs.getMetaData().getColumnCount();
      if (n != schema.fields().size()) {
        throw new AssertionError(table + " has " + n + " columns through SQL, " + schema.fields().size() + " in Delta");
      }
      while (rs.next()) {
        Object[] row = new Object[n];
        for (int i = 0; i < n; i++) {
          row[i] = value(schema.fields().get(i).type(), rs.getObject(i + 1));
        }
        rows.add(row);
      }
    }
    return rows;
  }

  /** The rows with every timestamp cut to milliseconds, as SQL reads them. */
  public static List<Object[]> millis(List<Object[]> rows) {
    return rows.stream().map(r -> (Object[]) millis((Object) r)).toList();
  }

  private static Object millis(Object value) {
    if (value instanceof Instant instant) {
      return instant.truncatedTo(ChronoUnit.MILLIS);
    }
    if (value instanceof LocalDateTime dateTime) {
      return dateTime.truncatedTo(ChronoUnit.MILLIS);
    }
    if (value instanceof Object[] struct) {
      return Arrays.stream(struct).map(JdbcRows::millis).toArray();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(JdbcRows::millis).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(millis(k), millis(v)));
      return out;
    }
    return value;
  }

  /** The JDBC value of a column (or of a nested element) in core's mapping. */
  static Object value(DataType type, Object v) throws SQLException {
    if (v == null) {
      return null;
    }
    if (type instanceof StructType struct) {
      Object[] in = v instanceof java.sql.Struct s ? s.getAttributes()
          : v instanceof List<?> l ? l.toArray() : (Object[]) v;
      Object[] out = new Object[in.length];
      for (int i = 0; i < in.length; i++) {
        out[i] = value(struct.fields().get(i).type(), in[i]);
      }
      return out;
    }
    if (type instanceof ArrayType array) {
      Object[] in = v instanceof java.sql.Array a ? (Object[]) a.getArray() : ((List<?>) v).toArray();
      List<Object> out = new ArrayList<>();
      for (Object e : in) {
        out.add(value(array.elementType(), e));
      }
      return out;
    }
    if (type instanceof MapType map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        out.put(value(map.keyType(), e.getKey()), value(map.valueType(), e.getValue()));
      }
      return out;
    }
    if (type instanceof DecimalType decimal) {
      return ((BigDecimal) v).setScale(decimal.scale());
    }
    return switch ((PrimitiveType) type) {
      case LONG -> ((Number) v).longValue();
      case INTEGER -> ((Number) v).intValue();
      case SHORT -> ((Number) v).shortValue();
      case BYTE -> ((Number) v).byteValue();
      case FLOAT -> ((Number) v).floatValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case BOOLEAN, BINARY -> v;
      case STRING -> v.toString();
      case DATE -> v instanceof java.sql.Date d ? d.toLocalDate() : LocalDate.ofEpochDay(((Number) v).longValue());
      case TIMESTAMP -> v instanceof Timestamp t ? t.toInstant() : Instant.ofEpochMilli(((Number) v).longValue());
      case TIMESTAMP_NTZ -> v instanceof Timestamp t ? t.toLocalDateTime()
          : LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) v).longValue()), java.time.ZoneOffset.UTC);
      case VARIANT -> throw new IllegalArgumentException("variant");
    };
  }
}
