package io.deltasql.driver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.S3TestServer;
import io.deltasql.core.testing.SharedTables;
import io.deltasql.tck.S3Lakes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deltasql import s3://…}: the command line imports a Delta table from S3 into a local warehouse. */
class S3ImportCommandTest {
  @Test
  void importsATableFromS3(@TempDir Path warehouse) {
    String tables = S3TestServer.get().newBucket("cli-import") + "/tables";
    S3TestServer.get().upload(SharedTables.table("basic-decimal-table"), tables + "/basic-decimal-table/delta");
    String url = "jdbc:deltasql:warehouse=" + warehouse + S3Lakes.s3Properties();

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(new String[] {"-u", url, "import", tables + "/basic-decimal-table/delta/"});
    String printed = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, printed + err.toString(StandardCharsets.UTF_8));
    assertTrue(printed.startsWith("Imported default.basic_decimal_table from " + tables + "/basic-decimal-table/delta:"),
        printed);

    out.reset();
    status = new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(new String[] {"-u", url, "tables"});
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains(tables + "/basic-decimal-table/delta"), out.toString());
    assertFalse((out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).contains(S3TestServer.SECRET_KEY));
  }
}
