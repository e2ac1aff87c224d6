package io.deltasql.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.testing.CatalogBackend;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The writer tells the catalog which added files replace an active one, from the snapshot it
 * validated against (see {@code CommitRequest.replacedFiles}): a re-added file still closes
 * its active row, and a commit rebased onto a later version decides at that version (here: the
 * file it replaced was removed meanwhile, so its add is a new active row).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(CatalogBackend.class)
class ReplacedFilesWriterTest {
  @Parameter
  CatalogBackend backend;

  @Test
  void aReAddedFileClosesItsActiveRow() throws SQLException {
    try (WriterFixture f = new WriterFixture(backend, "readd")) {
      MultiTableWriter writer = f.writer();
      TableRef table = f.createTable(writer, "t", WriterFixture.file("f1.parquet", 1));
      f.append(writer, table, WriterFixture.file("f2.parquet", 2));
      MultiTableTransaction tx = writer.begin();
      tx.addFiles(table.key(), 1, List.of(WriterFixture.file("f1.parquet", 7), WriterFixture.file("f3.parquet", 3)));
      assertEquals(2, writer.commit(tx).version(table.key()).orElseThrow());

      assertEquals(List.of("f1.parquet added 0 removed 2", "f1.parquet added 2 removed null",
          "f2.parquet added 1 removed null", "f3.parquet added 2 removed null"), fileRows(f));
      assertEquals(List.of(7L, 2L, 3L), values(f, table));
    }
  }

  @Test
  void aRebasedCommitDecidesAtTheVersionItLandsOn() throws SQLException {
    try (WriterFixture f = new WriterFixture(backend, "rebased")) {
      MultiTableWriter writer = f.writer();
      AddFile f1 = WriterFixture.file("f1.parquet", 1);
      TableRef table = f.createTable(writer, "t", f1);
      MultiTableTransaction late = writer.begin();
      late.addFiles(table.key(), 0, List.of(WriterFixture.file("f1.parquet", 5))); // replaces f1 at version 0
      MultiTableTransaction remove = writer.begin();
      remove.removeFiles(table.key(), 0, List.of(WriterFixture.remove(f1)));
      writer.commit(remove); // version 1: f1 is gone
      MultiTableCommitResult result = writer.commit(late); // a blind append: rebased onto version 1

      assertEquals(2, result.version(table.key()).orElseThrow());
      assertEquals(1, result.retries());
      assertEquals(List.of("f1.parquet added 0 removed 1", "f1.parquet added 2 removed null"), fileRows(f));
      assertEquals(List.of(5L), values(f, table));
    }
  }

  private static List<Long> values(WriterFixture f, TableRef table) {
    return f.latest(table).files().values().stream().sorted(java.util.Comparator.comparing(AddFile::path))
        .map(WriterFixture::value).toList();
  }

  private static List<String> fileRows(WriterFixture f) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = f.catalog().rawConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT path, add_version, remove_version FROM delta_files ORDER BY path, add_version");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        rows.add(rs.getString(1) + " added " + rs.getLong(2) + " removed " + rs.getString(3));
      }
    }
    return rows;
  }
}
