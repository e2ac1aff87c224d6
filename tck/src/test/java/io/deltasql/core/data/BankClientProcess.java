package io.deltasql.core.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The second JVM of {@link BankUnderFaultsTest}: {@code main(url, clients, seed, goFile, stopFile)}
 * warms up (connects to the lake at {@code url} and queries it, retrying until that works), prints
 * {@code READY}, waits for {@code goFile}, then runs {@code clients} {@link BankClient}s until
 * {@code stopFile} exists, closes them and exits 0. A JVM started ahead of time thus takes over
 * at once when the one before it is killed. It prints one line per outcome on stdout, each
 * written at once so that a SIGKILL loses none: {@code ATTEMPT}, {@code COMMITTED}, {@code FAILED state message},
 * {@code CONNECT_FAILED state message}; and {@code STOPPED} at the end. {@link #tally} reads
 * them back.
 */
final class BankClientProcess {
  private BankClientProcess() {}

  public static void main(String[] args) throws InterruptedException {
    String url = args[0];
    int clients = Integer.parseInt(args[1]);
    long seed = Long.parseLong(args[2]);
    Path goFile = Path.of(args[3]);
    Path stopFile = Path.of(args[4]);
    try (Connection warm = warmUp(url, stopFile)) {
      emit("READY");
      while (!Files.exists(goFile) && !Files.exists(stopFile)) {
        Thread.sleep(10);
      }
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < clients && !Files.exists(stopFile); i++) {
        BankClient client = new BankClient(url, seed * 31 + i, () -> Files.exists(stopFile), new Printer());
        Thread thread = new Thread(client, "bank-client-" + i);
        thread.start();
        threads.add(thread);
      }
      for (Thread thread : threads) {
        thread.join();
      }
    } catch (SQLException e) {
      // closing the warm-up connection failed: nothing is left to do
    }
    emit("STOPPED");
    System.exit(0);
  }

  /**
   * A connection that has run a transfer and rolled it back, once both tables exist (so the JVM
   * started, the runtime opened, and Calcite planned and ran the statements the clients run), kept
   * open so that the clients share its runtime; null if told to stop first.
   */
  private static Connection warmUp(String url, Path stopFile) throws InterruptedException {
    while (!Files.exists(stopFile)) {
      try {
        Connection connection = DriverManager.getConnection(url);
        try (Statement s = connection.createStatement()) {
          while (tablesFound(s) < BankClient.TABLES.size()) {
            if (Files.exists(stopFile)) {
              return connection;
            }
            Thread.sleep(50);
          }
          s.execute("begin multi");
          for (String table : BankClient.TABLES) {
            s.executeUpdate("update " + table + " set balance = balance + 0 where id = 0");
          }
          s.execute("rollback");
          return connection;
        } catch (SQLException e) {
          connection.close();
          throw e;
        }
      } catch (SQLException e) {
        emit("CONNECT_FAILED " + e.getSQLState() + " warm-up: " + e.getMessage().replaceAll("[\\r\\n]+", " "));
        Thread.sleep(100);
      }
    }
    return null;
  }

  private static int tablesFound(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("select count(*) from sys.tables where table_name in ('"
        + String.join("', '", BankClient.TABLES) + "')")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** One whole line in one write, so that a kill cuts none. */
  private static void emit(String line) {
    System.out.print(line + "\n");
  }

  /** The outcomes a child printed (to its stdout file), counted. */
  static BankClient.Tally tally(Path stdout) throws IOException {
    BankClient.Tally tally = new BankClient.Tally();
    for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
      String[] fields = line.split(" ", 3);
      switch (fields[0]) {
        case "ATTEMPT" -> tally.attempt();
        case "COMMITTED" -> tally.committed();
        case "FAILED" -> tally.failed(fields[1], fields.length > 2 ? fields[2] : "");
        case "CONNECT_FAILED" -> tally.connectFailed(fields[1], fields.length > 2 ? fields[2] : "");
        default -> {
          // STOPPED, or a line cut by the kill
        }
      }
    }
    return tally;
  }

  /** Prints each outcome as one line. */
  private static final class Printer implements BankClient.Outcomes {
    @Override
    public void attempt() {
      emit("ATTEMPT");
    }

    @Override
    public void committed() {
      emit("COMMITTED");
    }

    @Override
    public void failed(String sqlState, String message) {
      emit("FAILED " + sqlState + " " + oneLine(message));
    }

    @Override
    public void connectFailed(String sqlState, String message) {
      emit("CONNECT_FAILED " + sqlState + " " + oneLine(message));
    }

    private static String oneLine(String message) {
      return String.valueOf(message).replaceAll("[\\r\\n]+", " ");
    }
  }
}
