package io.deltasql.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The {@code delta_mirror_status} rows: which versions are written to each table's log. */
final class MirrorStatements {
  private static final String COLUMNS = "table_id, version, state, attempts, last_error, updated_at";
  static final String INSERT = "INSERT INTO delta_mirror_status (table_id, version, state, attempts, updated_at) "
      + "VALUES (?, ?, ?, 0, ?)";
  static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM delta_mirror_status WHERE table_id = ? AND version = ?";
  static final String SELECT_UNMIRRORED = "SELECT " + COLUMNS + " FROM delta_mirror_status "
      + "WHERE state IN ('PENDING', 'FAILED') AND table_id = ? ORDER BY version";
  static final String RECORD = "UPDATE delta_mirror_status SET state = ?, attempts = attempts + 1, last_error = ?, "
      + "updated_at = ? WHERE table_id = ? AND version = ?";

  static final String RECORD_DONE_RANGE = "UPDATE delta_mirror_status SET state = 'DONE', attempts = attempts + 1, "
      + "last_error = NULL, updated_at = ? WHERE table_id = ? AND version BETWEEN ? AND ?";

  private final Connection connection;
  private final Clock clock;

  MirrorStatements(Connection connection, Clock clock) {
    this.connection = connection;
    this.clock = clock;
  }

  /** The status row a new version starts with. */
  record Row(long tableId, long version, MirrorState state) {}

  /** Inserts the status rows of new versions, as one batch. */
  void insertAll(List<Row> rows) throws SQLException {
    long now = clock.millis();
    try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
      for (Row row : rows) {
        ps.setLong(1, row.tableId());
        ps.setLong(2, row.version());
        ps.setString(3, row.state().name());
        ps.setLong(4, now);
        if (rows.size() == 1) {
          ps.executeUpdate();
          return;
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  Optional<MirrorStatus> status(long tableId, long version) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_ONE)) {
      ps.setLong(1, tableId);
      ps.setLong(2, version);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  List<MirrorStatus> unmirrored(long tableId) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(SELECT_UNMIRRORED)) {
      ps.setLong(1, tableId);
      List<MirrorStatus> result = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          result.add(read(rs));
        }
      }
      return result;
    }
  }

  boolean record(long tableId, long version, MirrorState state, Optional<String> error) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(RECORD)) {
      ps.setString(1, state.name());
      Jdbc.setString(ps, 2, error.orElse(null));
      ps.setLong(3, clock.millis());
      ps.setLong(4, tableId);
      ps.setLong(5, version);
      return ps.executeUpdate() == 1;
    }
  }

  /** Records versions {@code from..to} of a table DONE with one statement; returns how many rows it changed. */
  int recordDone(long tableId, long from, long to) throws SQLException {
    try (PreparedStatement ps = connection.prepareStatement(RECORD_DONE_RANGE)) {
      ps.setLong(1, clock.millis());
      ps.setLong(2, tableId);
      ps.setLong(3, from);
      ps.setLong(4, to);
      return ps.executeUpdate();
    }
  }

  private static MirrorStatus read(ResultSet rs) throws SQLException {
    String state = rs.getString("state");
    MirrorState parsed;
    try {
      parsed = MirrorState.valueOf(state);
    } catch (IllegalArgumentException e) {
      throw CatalogErrors.corrupt("mirror state '" + state + "' of version " + rs.getLong("version"), e);
    }
    return new MirrorStatus(rs.getLong("table_id"), rs.getLong("version"), parsed, rs.getInt("attempts"),
        Jdbc.getString(rs, "last_error"), Instant.ofEpochMilli(rs.getLong("updated_at")));
  }
}
