package io.deltasql.bench;

import java.nio.file.Path;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH state: the synthetic table every open benchmark reads, generated once per parameter
 * set and cached on disk (see {@link TableGenerator#cached}).
 *
 * <p>Every reader, Delta Kernel, deltasql's log reader and (when it lands) the catalog,
 * takes this state, so that all of them are measured on the same table in the same run.
 * The cache folder is the system property {@value #TABLES_PROPERTY}, by default
 * {@code target/tables} under the working directory.
 */
@State(Scope.Benchmark)
public class GeneratedTableState {
  /** System property naming the folder that caches generated tables. */
  public static final String TABLES_PROPERTY = "deltasql.bench.tables";

  /** Number of commits; the latest version is one less. */
  @Param("10000")
  public int commits;

  /** Active files at the latest version. */
  @Param("100000")
  public int files;

  /** Checkpoint interval; {@code 0} for a table without checkpoint. */
  @Param({"10", "0"})
  public int checkpointInterval;

  /** Whether the table is partitioned by date. */
  @Param("false")
  public boolean partitioned;

  /** Which versions have a {@code .crc} checksum file: NONE, LATEST or ALL (as Delta Spark). */
  @Param("NONE")
  public Checksums crc;

  private GeneratedTable table;

  /** Generates the table, or finds it in the cache. */
  @Setup(Level.Trial)
  public void generate() {
    table = TableGenerator.cached(cacheRoot(),
        new TableSpec(commits, files, checkpointInterval, partitioned, crc));
  }

  /** The table of this trial. */
  public GeneratedTable table() {
    return table;
  }

  /** The folder that caches generated tables. */
  public static Path cacheRoot() {
    return Path.of(System.getProperty(TABLES_PROPERTY, "target/tables")).toAbsolutePath();
  }
}
