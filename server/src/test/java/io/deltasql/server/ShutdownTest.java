package io.deltasql.server;

import static io.deltasql.server.Remote.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server stopped with a transaction open commits none of it and releases the catalog. */
class ShutdownTest {
  @TempDir
  Path warehouse;

  @Test
  void closeRollsBackOpenTransactions() throws Exception {
    Remote remote = Remote.start(warehouse, c -> c);
    Connection client = remote.connect();
    Statement s = client.createStatement();
    s.execute("create table a (x int)");
    s.execute("create table b (x int)");
    s.execute("begin multi");
    s.executeUpdate("insert into a values (1)");
    s.executeUpdate("insert into b values (1)");
    remote.close();
    assertThrows(Exception.class, () -> s.execute("commit"), "the server is gone");
    try (Connection e = remote.embedded(); Statement es = e.createStatement()) {
      assertEquals(List.of("0|0"), rows(es, "select (select count(*) from a), (select count(*) from b)"));
    }
  }

  /** The real thing: {@code ServerMain} in its own JVM, stopped by SIGTERM. */
  @Test
  void sigtermRollsBackAndReleasesTheCatalog() throws Exception {
    String url = "jdbc:deltasql:warehouse=" + warehouse;
    try (Connection e = DriverManager.getConnection(url); Statement es = e.createStatement()) {
      es.execute("create table t (x int)");
    }
    Path logFile = warehouse.resolve("server.log"); // a file: destroy() closes the pipes of a process
    Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        ServerMain.class.getName(), "-u", url, "--port", "0")
        .redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    java.util.function.Supplier<String> log = () -> {
      try {
        return java.nio.file.Files.readString(logFile);
      } catch (java.io.IOException e) {
        return "";
      }
    };
    try {
      Matcher listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)").matcher("");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!listening.reset(log.get()).find() && server.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertTrue(listening.reset(log.get()).find(), "no address in:\n" + log.get());
      String address = listening.group(1);
      // Left open: the client cannot close what the stopped server no longer has.
      Connection client = DriverManager.getConnection("jdbc:avatica:remote:url=" + address + ";serialization=protobuf");
      Statement s = client.createStatement();
      s.execute("begin multi");
      s.executeUpdate("insert into t values (1)");
      server.destroy(); // SIGTERM
      assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stops");
    } finally {
      server.destroyForcibly();
    }
    assertTrue(log.get().contains("1 with an open transaction rolled back"), log.get());
    assertTrue(log.get().contains("deltasql runtime closed"), "catalog released:\n" + log.get());
    try (Connection e = DriverManager.getConnection(url); Statement es = e.createStatement()) {
      assertEquals(List.of("0"), rows(es, "select count(*) from t"), "nothing committed");
    }
  }
}
