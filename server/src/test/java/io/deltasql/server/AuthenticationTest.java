package io.deltasql.server;

import static io.deltasql.server.Remote.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP basic and digest authentication from a users file of hashed passwords, and the
 * read-only role: refused with 42501, nothing changed.
 */
class AuthenticationTest {
  @TempDir
  Path warehouse;
  @TempDir
  Path etc;

  private Path users(String... lines) throws IOException {
    Path file = etc.resolve("users.properties");
    Files.write(file, List.of(lines));
    return file;
  }

  private Remote start(String scheme, Path users) throws SQLException {
    return Remote.start(warehouse, c -> c.with(ServerProperty.AUTHENTICATION, scheme)
        .with(ServerProperty.USERS, users.toString()));
  }

  @Test
  void basicWithReadWriteAndReadOnlyUsers() throws Exception {
    Path users = users(
        "alice: " + UsersFile.basicCredential("alice-secret") + ", read-write",
        "bob: " + UsersFile.basicCredential("bob-secret") + ", read-only",
        "carol: " + UsersFile.basicCredential("carol-secret"));
    try (Remote remote = start("basic", users)) {
      // Without credentials: 401 and no data, whatever the request.
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(remote.server.address()))
              .POST(HttpRequest.BodyPublishers.ofString("{\"request\":\"openConnection\",\"connectionId\":\"x\"}"))
              .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, response.statusCode());
      assertThrows(Exception.class, () -> remote.connect().createStatement().executeQuery("select 1").close());
      assertThrows(Exception.class, () -> remote.connect("authentication=BASIC", "avatica_user=alice",
          "avatica_password=wrong").createStatement().executeQuery("select 1").close());
      assertThrows(Exception.class, () -> remote.connect("authentication=BASIC", "avatica_user=carol",
          "avatica_password=carol-secret").createStatement().executeQuery("select 1").close(), "no role, no access");

      try (Connection alice = remote.connect("authentication=BASIC", "avatica_user=alice", "avatica_password=alice-secret");
           Statement a = alice.createStatement();
           Connection bob = remote.connect("authentication=BASIC", "avatica_user=bob", "avatica_password=bob-secret");
           Statement b = bob.createStatement()) {
        a.execute("create table t (x int)");
        a.executeUpdate("insert into t values (1)");
        assertEquals(List.of("1"), rows(b, "select x from t"), "a read-only user reads");
        assertTrue(bob.isReadOnly());

        SQLException e = assertThrows(SQLException.class, () -> b.executeUpdate("insert into t values (2)"));
        assertEquals("42501", e.getSQLState(), e.getMessage());
        assertTrue(e.getMessage().contains("bob"), e.getMessage());
        b.execute("begin multi");
        e = assertThrows(SQLException.class, () -> b.executeUpdate("delete from t"));
        assertEquals("42501", e.getSQLState(), e.getMessage());
        b.execute("commit"); // nothing staged: nothing to commit, and nothing is
        e = assertThrows(SQLException.class, () -> b.execute("drop table t"));
        assertEquals("42501", e.getSQLState(), e.getMessage());
        try {
          bob.setReadOnly(false); // Avatica's client may send it with the next call
        } catch (SQLException refused) {
          assertEquals("42501", refused.getSQLState(), refused.getMessage());
        }
        e = assertThrows(SQLException.class, () -> b.executeUpdate("insert into t values (4)"));
        assertEquals("42501", e.getSQLState(), e.getMessage());
        bob.setAutoCommit(false);
        e = assertThrows(SQLException.class, () -> b.executeUpdate("insert into t values (3)"));
        assertEquals("42501", e.getSQLState(), e.getMessage());
        bob.commit();
        assertEquals(List.of("1"), rows(a, "select x from t"), "nothing changed");
        assertEquals(List.of("2"), rows(a, "select count(*) from sys.history where table_name = 't'"), "the create and alice's insert only");
      }
    }
  }

  @Test
  void digest() throws Exception {
    Path users = users("dora: " + UsersFile.digestCredential("dora", "dora-secret") + ", read-write");
    try (Remote remote = start("digest", users)) {
      try (Connection dora = remote.connect("authentication=DIGEST", "avatica_user=dora", "avatica_password=dora-secret");
           Statement s = dora.createStatement()) {
        assertEquals(List.of("2"), rows(s, "select 1 + 1"));
      }
      assertThrows(Exception.class, () -> remote.connect("authentication=DIGEST", "avatica_user=dora",
          "avatica_password=wrong").createStatement().executeQuery("select 1").close());
    }
  }

  @Test
  void plainPasswordsAreRefused() throws Exception {
    Path users = users("eve: eve-secret, read-write");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start("basic", users));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    Path crypt = users("eve: CRYPT:abc123, read-write");
    assertThrows(IllegalArgumentException.class, () -> start("digest", crypt), "digest needs MD5 of user:realm:password");
  }
}
