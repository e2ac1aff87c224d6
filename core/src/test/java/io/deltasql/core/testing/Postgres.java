package io.deltasql.core.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of the tests: {@code DELTASQL_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}). When it is unreachable a
 * test is skipped, except under {@code CI=true}, where that is a failure: CI must run
 * every PostgreSQL test.
 */
public final class Postgres {
  public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

  private Postgres() {}

  /** The server URL from the environment, or the default. */
  public static String url() {
    String env = System.getenv("DELTASQL_PG_URL");
    return env == null || env.isBlank() ? DEFAULT_URL : env;
  }

  /** Skips (or, in CI, fails) the calling test when PostgreSQL is not reachable. */
  public static void assumeAvailable() {
    try (Connection c = DriverManager.getConnection(url())) {
      c.isValid(2);
    } catch (SQLException e) {
      String why = "PostgreSQL not reachable at " + url() + ": " + e.getMessage();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(why + " (CI=true: PostgreSQL tests must not be skipped)", e);
      }
      Assumptions.abort(why);
    }
  }

  /**
   * Creates a fresh, empty schema for one test and returns a JDBC URL whose connections
   * use it (so tests never see each other's tables). Drop it with {@link #dropSchema}.
   */
  public static String freshSchemaUrl(String schema) {
    assumeAvailable();
    try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new AssertionError("Cannot create schema " + schema + ": " + e.getMessage(), e);
    }
    String sep = url().contains("?") ? "&" : "?";
    return url() + sep + "currentSchema=" + schema;
  }

  /** A schema name unique to this run. */
  public static String uniqueSchema(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Drops a schema made by {@link #freshSchemaUrl}. */
  public static void dropSchema(String schema) {
    try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      // leave it: a later run drops it by name only if it reuses the name
    }
  }
}
