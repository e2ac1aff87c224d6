package io.deltasql.server;

import static io.deltasql.server.Remote.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/**
 * Per-schema and per-table write grants from the users file ({@code write:SCHEMA},
 * {@code write:SCHEMA.TABLE}), through the Avatica remote driver: a granted user changes what
 * they were granted; any other change is refused with 42501 naming the table or schema, in
 * auto-commit and inside a transaction, and leaves the table's versions and files as they were.
 */
class WriteGrantsTest {
  @TempDir
  Path warehouse;
  @TempDir
  Path etc;

  private Path users(String... lines) throws IOException {
    Path file = etc.resolve("users.properties");
    Files.write(file, List.of(lines));
    return file;
  }

  private Remote start(Path users) throws SQLException {
    return Remote.start(warehouse, c -> c.with(ServerProperty.AUTHENTICATION, "basic")
        .with(ServerProperty.USERS, users.toString()));
  }

  private static Connection as(Remote remote, String user) throws SQLException {
    return remote.connect("authentication=BASIC", "avatica_user=" + user, "avatica_password=" + user + "-secret");
  }

  @Test
  void grantedTablesAndSchemasOnly() throws Exception {
    Path users = users(
        "admin: " + UsersFile.basicCredential("admin-secret") + ", read-write",
        "alice: " + UsersFile.basicCredential("alice-secret") + ", read-write, write:sales, write:default.orders");
    try (Remote remote = start(users);
         Connection admin = as(remote, "admin"); Statement a = admin.createStatement();
         Connection alice = as(remote, "alice"); Statement s = alice.createStatement()) {
      a.execute("create schema sales");
      a.execute("create table sales.deals (id int)");
      a.execute("create table orders (id int)");
      a.execute("create table other (id int)");
      a.execute("create schema ops");
      a.execute("create table ops.jobs (id int)");
      a.executeUpdate("insert into other values (1), (2)");
      List<String> before = state(a);

      // What alice was granted: a whole schema, and one table of another.
      assertEquals(1, s.executeUpdate("insert into sales.deals values (1)"));
      s.execute("create table sales.fresh (id int)");
      s.execute("drop table sales.fresh");
      assertEquals(1, s.executeUpdate("insert into orders values (1)"));
      assertEquals(1, s.executeUpdate("update orders set id = 2"));
      assertEquals(List.of("1", "2"), rows(s, "select id from other order by id"), "reads everything");

      // Everything else: 42501 naming the table (or schema), nothing changed.
      refused("default.other", () -> s.executeUpdate("insert into other values (3)"));
      refused("default.other", () -> s.executeUpdate("update other set id = 3"));
      refused("default.other", () -> s.executeUpdate("delete from other"));
      refused("default.other", () -> s.execute("alter table other add columns (x int)"));
      refused("default.other", () -> s.execute("drop table other"));
      refused("default.other", () -> s.execute("optimize other"));
      refused("default.fresh", () -> s.execute("create table fresh (id int)"));
      refused("default.fresh", () -> s.execute("create table fresh as select * from other"));
      refused("schema marketing", () -> s.execute("create schema marketing"));
      refused("schema ops", () -> s.execute("drop schema ops cascade"));
      s.execute("begin multi");
      assertEquals(1, s.executeUpdate("insert into sales.deals values (2)"));
      refused("default.other", () -> s.executeUpdate("insert into other values (4)"));
      s.execute("rollback");
      alice.setAutoCommit(false);
      refused("default.other", () -> s.executeUpdate("delete from other where id = 1"));
      alice.rollback();
      alice.setAutoCommit(true);

      assertEquals(before, state(a), "other's versions and files");
      assertEquals(List.of("1"), rows(a, "select id from sales.deals"), "the rolled-back insert is not there");
      assertEquals(List.of("2"), rows(a, "select id from orders"));
      assertEquals(List.of("default|orders", "default|other", "ops|jobs", "sales|deals"),
          rows(a, "select distinct table_schema, table_name from sys.history order by 1, 2"), "no table created or dropped by a refused statement");
      // The unrestricted user still changes everything.
      assertEquals(1, a.executeUpdate("insert into other values (3)"));
    }
  }

  @Test
  void malformedGrantsAreRefusedAtStart() throws Exception {
    String credential = UsersFile.basicCredential("x-secret");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> start(users("x: " + credential + ", read-only, write:sales")));
    assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("read-only"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> start(users("x: " + credential + ", read-write, write:a.b.c")));
    assertTrue(e.getMessage().contains("write:a.b.c"), e.getMessage());
  }

  private static void refused(String named, Executable statement) {
    SQLException e = assertThrows(SQLException.class, statement);
    assertEquals("42501", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains(named) && e.getMessage().contains("alice"), e.getMessage());
  }

  /** Table other's committed versions and active files, as the catalog has them. */
  private static List<String> state(Statement s) throws SQLException {
    List<String> state = new java.util.ArrayList<>(rows(s,
        "select version, operation from sys.history where table_name = 'other' order by version"));
    state.addAll(rows(s, "select path from sys.files where table_name = 'other' order by path"));
    return state;
  }
}
