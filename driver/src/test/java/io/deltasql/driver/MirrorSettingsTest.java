package io.deltasql.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.mirror.MirrorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The URL's {@code mirror.*} settings reach the mirror: checkpoint spacing (a table committing
 * faster than the spacing gets its first due checkpoint and not the next), the file count
 * below which every due checkpoint is written, and the backpressure limit; values out of
 * range are refused with 22023 naming the property, before anything is opened.
 */
class MirrorSettingsTest {
  @TempDir
  Path warehouse;

  /** Commits 25 versions of one small table (checkpoints due at 10 and 20); sync mirroring. */
  private Path commit25(String settings) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:deltasql:warehouse=" + warehouse + settings);
        Statement s = c.createStatement()) {
      s.execute("create table t (id int)");
      for (int i = 1; i < 25; i++) {
        s.executeUpdate("insert into t values (" + i + ")");
      }
      assertEquals("24", Rows.of(s, "select count(*) from t").get(0));
    }
    return warehouse.resolve("default").resolve("t").resolve("_delta_log");
  }

  private static Path checkpoint(Path log, long version) {
    return log.resolve(String.format("%020d.checkpoint.parquet", version));
  }

  @Test
  void aSmallTableGetsEveryDueCheckpointByDefault() throws SQLException {
    Path log = commit25("");
    assertTrue(Files.exists(checkpoint(log, 10)));
    assertTrue(Files.exists(checkpoint(log, 20)), "a table of at most 100 files is never spaced");
  }

  @Test
  void aSpacingOverEveryTableLeavesOutTheCheckpointDueTooSoon() throws SQLException {
    Path log = commit25(";mirror.checkpointSpacing=3600000;mirror.checkpointSpacingFiles=0");
    assertTrue(Files.exists(checkpoint(log, 10)), "the first due checkpoint is always written");
    assertFalse(Files.exists(checkpoint(log, 20)), "due within the hour after the one at 10");
    assertTrue(Files.exists(log.resolve(String.format("%020d.json", 24))), "every commit file is written");
  }

  @Test
  void theSettingsReachTheMirrorConfiguration() {
    MirrorConfig config = Runtimes.mirrorConfig(ConnectionUrl.parse("jdbc:deltasql:warehouse=/tmp/x;"
        + "mirror.checkpointSpacing=0;mirror.checkpointSpacingFiles=5000;mirror.maxUnmirrored=7", new Properties()));
    assertEquals(Duration.ZERO, config.checkpointSpacing());
    assertEquals(5000, config.checkpointSpacingFiles());
    assertEquals(7, config.maxUnmirroredVersions());
    assertEquals(MirrorConfig.DEFAULTS,
        Runtimes.mirrorConfig(ConnectionUrl.parse("jdbc:deltasql:warehouse=/tmp/x", new Properties())));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "mirror.checkpointSpacing=-1|mirror.checkpointSpacing='-1' must be a number of milliseconds",
      "mirror.checkpointSpacingFiles=many|mirror.checkpointSpacingFiles='many' must be a number of active files",
      "mirror.maxUnmirrored=0|mirror.maxUnmirrored='0' must be a number of versions, 1 or more"})
  void aValueOutOfRangeIsRefusedBeforeTheCatalogIsCreated(String setting, String message) {
    SQLException e = assertThrows(SQLException.class,
        () -> DriverManager.getConnection("jdbc:deltasql:warehouse=" + warehouse.resolve("lake") + ";" + setting));
    assertEquals("22023", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertFalse(Files.exists(warehouse.resolve("lake")), "nothing created for a refused connection");
  }
}
