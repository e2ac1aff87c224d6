package io.deltasql.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** The statements on {@code delta_schemas}: schemas that exist without tables. */
final class SchemaStatements {
  static final String SELECT_ALL = "SELECT schema_name FROM delta_schemas UNION "
      + "SELECT DISTINCT schema_name FROM delta_tables ORDER BY 1";
  static final String EXISTS = "SELECT 1 FROM delta_schemas WHERE schema_name = ? UNION ALL "
      + "SELECT 1 FROM delta_tables WHERE schema_name = ?";
  static final String INSERT = "INSERT INTO delta_schemas (schema_name, created_at) VALUES (?, ?)";
  static final String DELETE = "DELETE FROM delta_schemas WHERE schema_name = ?";

  private final Connection connection;
  private final Clock clock;

  SchemaStatements(Connection connection, Clock clock) {
    this.connection = connection;
    this.clock = clock;
  }

  List<String> list() throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(SELECT_ALL); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  boolean exists(String name) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(EXISTS)) {
      ps.setString(1, name);
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  void insert(String name) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
      ps.setString(1, name);
      ps.setLong(2, clock.millis());
      ps.executeUpdate();
    }
  }

  boolean delete(String name) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(DELETE)) {
      ps.setString(1, name);
      return ps.executeUpdate() > 0;
    }
  }
}
