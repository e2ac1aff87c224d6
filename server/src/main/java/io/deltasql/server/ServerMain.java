package io.deltasql.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * {@code bin/deltasql server}: serves the driver to remote JDBC clients until SIGTERM or
 * Ctrl-C, which close every connection (open transactions roll back) and release the catalog.
 *
 * <pre>
 * deltasql server [-u URL] [--host 127.0.0.1] [--port 8765] [--serialization protobuf|json]
 *                 [--config FILE]
 * deltasql server --hash-password USER    (reads the password from standard input)
 * </pre>
 *
 * The configuration file holds every {@link ServerProperty}; the options override it. Exit
 * status 0 after a clean stop, 1 on an error, 2 on a usage error.
 */
public final class ServerMain {
  private static final String USAGE = "usage: deltasql server [-u URL] [--host HOST] [--port PORT]"
      + " [--serialization protobuf|json] [--config FILE]\n"
      + "       deltasql server --hash-password USER   (password on standard input)";

  private ServerMain() {}

  public static void main(String[] args) throws Exception {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    ServerConfig options = ServerConfig.defaults();
    Path configFile = null;
    try {
      while (!rest.isEmpty()) {
        String option = rest.pop();
        if (option.equals("-h") || option.equals("--help")) {
          out.println(USAGE);
          return 0;
        }
        if (rest.isEmpty()) {
          throw new IllegalArgumentException(option.startsWith("-") ? option + " needs a value" : "unexpected " + option);
        }
        String value = rest.pop();
        switch (option) {
          case "-u", "--url" -> options = options.with(ServerProperty.URL, value);
          case "--host" -> options = options.with(ServerProperty.HOST, value);
          case "--port" -> options = options.with(ServerProperty.PORT, value);
          case "--serialization" -> options = options.with(ServerProperty.SERIALIZATION, value);
          case "--config" -> configFile = Path.of(value);
          case "--hash-password" -> {
            return hashPassword(value, out);
          }
          default -> throw new IllegalArgumentException("unknown option " + option);
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("deltasql server: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    DeltaServer server;
    try {
      server = DeltaServer.start(effective(options, configFile));
    } catch (Exception e) {
      String state = e instanceof java.sql.SQLException sql ? " (SQLState " + sql.getSQLState() + ")" : "";
      err.println("deltasql server: " + e.getMessage() + state);
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "deltasql-server-shutdown"));
    server.join();
    return 0;
  }

  /**
   * The settings of the configuration file (none: the defaults) with every command-line option
   * given over it, including one equal to its default.
   */
  static ServerConfig effective(ServerConfig options, Path configFile) {
    ServerConfig config = configFile == null ? ServerConfig.defaults() : ServerConfig.load(configFile);
    for (ServerProperty p : ServerProperty.values()) {
      if (options.given(p)) {
        config = config.with(p, options.get(p).orElseThrow());
      }
    }
    return config;
  }

  /** Prints the users-file lines of a password for basic and for digest authentication. */
  private static int hashPassword(String user, PrintStream out) throws java.io.IOException {
    String password;
    if (System.console() != null) {
      password = new String(System.console().readPassword("password for %s: ", user));
    } else {
      password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
    if (password == null || password.isEmpty()) {
      return 2;
    }
    out.println("# authentication=basic");
    out.println(user + ": " + UsersFile.basicCredential(password) + ", " + RemoteUser.READ_WRITE);
    out.println("# authentication=digest");
    out.println(user + ": " + UsersFile.digestCredential(user, password) + ", " + RemoteUser.READ_WRITE);
    return 0;
  }
}
