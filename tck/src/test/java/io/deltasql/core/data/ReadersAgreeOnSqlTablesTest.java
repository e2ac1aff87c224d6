package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.CatalogBackend;
import io.deltasql.tck.Lakes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tables created and changed through SQL (CREATE, CTAS, inserts, deletes, updates of data and
 * partition columns, ALTER TABLE ADD COLUMNS, every type, partitioned and not, a transaction over
 * two tables) read from their {@code _delta_log} by both independent readers, Delta Kernel Java
 * and delta-standalone, at every version: the same schema, active files and rows as deltasql's
 * own log and {@code SELECT * FROM t VERSION AS OF n}. A reader that cannot read a table
 * ({@link IndependentReaders.Reader#cannotRead}) must fail on it.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class ReadersAgreeOnSqlTablesTest {
  private static final Logger LOG = LoggerFactory.getLogger(ReadersAgreeOnSqlTablesTest.class);

  @Parameter
  CatalogBackend backend;

  @Test
  void readersReadWhatSqlWrote() throws Exception {
    try (Lakes lake = Lakes.fresh(backend, "readers"); Connection c = lake.connect(); Statement s = c.createStatement()) {
      s.execute("create table facts (id bigint not null, name string, amount decimal(20, 4), ratio double,"
          + " flag boolean, d date, ts timestamp, bin binary, tags array<string>, attrs map<string, int>,"
          + " pt struct<x: int, y: string>, region string, small tinyint, i int, sh smallint, f float)"
          + " partitioned by (region, d)");
      s.execute("create table other (k int, v string)");
      // What delta-standalone cannot read, in a table of its own: it has no timestamp_ntz type, and
      // decodes a NULL value of a primitive type in a map as a required value (IllegalArgumentException
      // "NullValue cannot be decoded to required type").
      s.execute("create table wall (id int, ntz timestamp_ntz, attrs map<string, int>)");
      // (A struct value with a NULL int field beside a non-NULL one, row(null, 'n'), fails today:
      // NullPointerException in Calcite's Primitive.integerCast while DeltaDml.insert reads the rows.)
      s.executeUpdate("insert into facts values"
          + " (1, 'a', 1.5000, 0.25, true, date '2024-01-01', timestamp '2024-01-01 10:00:00.123',"
          + "  x'01', array['p', 'q'], map['k', 1], row(1, 'one'), 'eu', 1, 7, 300, 1.5),"
          + " (2, 'b', -2.0000, null, false, date '2024-01-02', null, null, null, null, null, 'us', -1, null, null,"
          + "  null),"
          + " (3, null, 99999.9999, 1e300, null, date '2024-01-01', timestamp '1999-12-31 23:59:59',"
          + "  x'', array[cast(null as varchar)], map['z', 0], row(0, 'n'), null, null, -8, -300,"
          + "  -0.5)");
      s.executeUpdate("insert into wall values (1, timestamp '2024-01-01 10:00:00.5', map['z', cast(null as int)]),"
          + " (2, null, null)");
      s.executeUpdate("insert into facts select id + 10, name, amount, ratio, flag, d, ts, bin, tags, attrs, pt,"
          + " region, small, i, sh, f from facts where id < 3");
      s.executeUpdate("delete from facts where id = 2");
      s.executeUpdate("update facts set amount = amount * 2, name = 'updated' where id = 11");
      s.executeUpdate("update facts set region = 'apac' where id = 12");
      s.execute("begin multi");
      s.executeUpdate("insert into other values (1, 'x'), (2, 'y')");
      s.executeUpdate("delete from facts where id = 3");
      s.executeUpdate("update wall set ntz = timestamp '2000-02-29 00:00:00' where id = 2");
      s.execute("commit");
      s.executeUpdate("update other set v = 'z' where k = 2");
      s.execute("alter table other add columns (score double, seen date)");
      s.executeUpdate("insert into other values (3, 'w', 0.5, date '2024-05-01')");
      s.execute("create table copy partitioned by (region) as select id, name, amount, region, tags from facts");
      s.executeUpdate("delete from copy where id = 1");
      s.executeUpdate("insert into copy values (20, 'c', 0.0001, null, array['r'])");

      for (Map.Entry<String, Integer> table : Map.of("facts", 3, "other", 3, "wall", 2, "copy", 3).entrySet()) {
        assertEquals(table.getValue(), IndependentReaders.deltasql(c, table.getKey(), location(s, table.getKey()),
            currentVersion(s, table.getKey())).rows().size(), "rows of " + table.getKey() + " through SQL");
        assertReadersAgree(c, s, table.getKey());
      }
    }
  }

  /** Both readers agree with deltasql at every version of {@code table}. */
  private void assertReadersAgree(Connection c, Statement s, String table) throws Exception {
    String location = location(s, table);
    long latest = currentVersion(s, table);
    assertTrue(latest >= 2, table + " has versions to check: " + latest);
    for (IndependentReaders.Reader reader : IndependentReaders.ALL) {
      IndependentReaders.verifyTable(reader, table, () -> {
        Optional<String> cannot = Optional.empty();
        for (long v = 0; v <= latest; v++) {
          long version = v;
          cannot = IndependentReaders.assertAgreeOrCannotRead(reader, IndependentReaders.protocol(location, v),
              IndependentReaders.deltasql(c, table, location, v), () -> reader.atVersion(location, version),
              table + " version " + v);
        }
        LOG.info("backend={} reader={} table={} versions=0..{} {}", backend, reader.name(), table, latest,
            cannot.map(r -> "cannot read: " + r).orElse("agreed"));
        return cannot;
      });
    }
  }

  private static long currentVersion(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("select current_version from sys.tables where table_name = '" + table + "'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String location(Statement s, String table) throws SQLException {
    try (ResultSet rs = s.executeQuery("select location from sys.tables where table_name = '" + table + "'")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
