package io.deltasql.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sqlline.SqlLine;

/** sqlline, unmodified from Maven Central, as a thin client of the server. */
class SqllineTest {
  @TempDir
  Path warehouse;

  @Test
  void sqllineQueriesThroughTheServer() throws Exception {
    try (Remote remote = Remote.start(warehouse, c -> c)) {
      try (Connection c = remote.connect(); Statement s = c.createStatement()) {
        s.execute("create table greetings (id int, word string)");
        s.executeUpdate("insert into greetings values (1, 'hello'), (2, 'remote')");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      SqlLine sqlline = new SqlLine();
      sqlline.setOutputStream(new PrintStream(out, true, StandardCharsets.UTF_8));
      sqlline.setErrorStream(new PrintStream(out, true, StandardCharsets.UTF_8));
      String script = "select word from greetings order by id;\n!quit\n";
      SqlLine.Status status = sqlline.begin(new String[] {"-u", remote.url(), "-n", "", "-p", "",
          "--silent=true", "--outputFormat=csv"},
          new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), false);
      String printed = out.toString(StandardCharsets.UTF_8);
      assertEquals(SqlLine.Status.OK, status, printed);
      assertTrue(printed.contains("'hello'") && printed.contains("'remote'"), printed);
    }
  }
}
