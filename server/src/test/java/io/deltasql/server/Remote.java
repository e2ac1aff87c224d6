package io.deltasql.server;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** A server on a test's warehouse, and the Avatica remote driver's connections to it. */
final class Remote implements AutoCloseable {
  final Path warehouse;
  final String deltaUrl;
  final ServerConfig config;
  final DeltaServer server;

  private Remote(Path warehouse, String deltaUrl, ServerConfig config) throws SQLException {
    this.warehouse = warehouse;
    this.deltaUrl = deltaUrl;
    this.config = config;
    this.server = DeltaServer.start(config);
  }

  /** A server on an embedded catalog in {@code warehouse}, on a free port. */
  static Remote start(Path warehouse, UnaryOperator<ServerConfig> settings) throws SQLException {
    return start(warehouse, null, settings);
  }

  /** A server on {@code catalog} (null: embedded H2), on a free port. */
  static Remote start(Path warehouse, String catalog, UnaryOperator<ServerConfig> settings) throws SQLException {
    String url = "jdbc:deltasql:warehouse=" + warehouse + (catalog == null ? "" : ";catalog='" + catalog + "'");
    ServerConfig config = settings.apply(ServerConfig.defaults()
        .with(ServerProperty.URL, url).with(ServerProperty.PORT, "0"));
    return new Remote(warehouse, url, config);
  }

  /** The thin client's URL, with extra {@code key=value} properties. */
  String url(String... properties) {
    StringBuilder sb = new StringBuilder("jdbc:avatica:remote:url=").append(server.address())
        .append(";serialization=").append(config.serialization().name().toLowerCase(Locale.ROOT));
    for (String p : properties) {
      sb.append(';').append(p);
    }
    return sb.toString();
  }

  Connection connect(String... properties) throws SQLException {
    return DriverManager.getConnection(url(properties));
  }

  /** A connection of the deltasql driver itself, in this JVM, to the server's catalog. */
  Connection embedded() throws SQLException {
    return DriverManager.getConnection(deltaUrl);
  }

  static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          sb.append(i > 1 ? "|" : "").append(rs.getString(i));
        }
        rows.add(sb.toString());
      }
    }
    return rows;
  }

  @Override
  public void close() {
    server.close();
  }
}
