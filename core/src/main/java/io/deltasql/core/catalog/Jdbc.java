package io.deltasql.core.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Optional;

/** Binding and reading of nullable columns. */
final class Jdbc {
  private Jdbc() {}

  static void setLong(PreparedStatement ps, int index, Optional<Long> value) throws SQLException {
    if (value.isPresent()) {
      ps.setLong(index, value.get());
    } else {
      ps.setNull(index, Types.BIGINT);
    }
  }

  static void setInt(PreparedStatement ps, int index, Optional<Integer> value) throws SQLException {
    if (value.isPresent()) {
      ps.setInt(index, value.get());
    } else {
      ps.setNull(index, Types.INTEGER);
    }
  }

  static void setBoolean(PreparedStatement ps, int index, Optional<Boolean> value) throws SQLException {
    if (value.isPresent()) {
      ps.setBoolean(index, value.get());
    } else {
      ps.setNull(index, Types.BOOLEAN);
    }
  }

  static void setString(PreparedStatement ps, int index, String valueOrNull) throws SQLException {
    if (valueOrNull != null) {
      ps.setString(index, valueOrNull);
    } else {
      ps.setNull(index, Types.VARCHAR);
    }
  }

  static Optional<Long> getLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(value);
  }

  static Optional<Integer> getInt(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(value);
  }

  static Optional<Boolean> getBoolean(ResultSet rs, String column) throws SQLException {
    boolean value = rs.getBoolean(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(value);
  }

  static Optional<String> getString(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }
}
