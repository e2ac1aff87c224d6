package io.deltasql.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The catalog databases every catalog test runs on. */
public enum CatalogBackend {
  /** An embedded H2 file in a temporary folder. */
  H2 {
    @Override
    public CatalogFixture fresh(String prefix) {
      try {
        Path dir = Files.createTempDirectory("deltasql-" + prefix + "-");
        String url = "jdbc:h2:file:" + dir.resolve("catalog").toAbsolutePath();
        return new CatalogFixture(this, url, () -> deleteTree(dir));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String readOnly(String url) {
      return url + ";ACCESS_MODE_DATA=r";
    }
  },

  /** A fresh schema on the local PostgreSQL server. */
  POSTGRESQL {
    @Override
    public CatalogFixture fresh(String prefix) {
      String schema = Postgres.uniqueSchema(prefix);
      String url = Postgres.freshSchemaUrl(schema);
      return new CatalogFixture(this, url, () -> Postgres.dropSchema(schema));
    }

    @Override
    public String readOnly(String url) {
      return url + "&options=-c%20default_transaction_read_only%3Don";
    }
  };

  /** An empty catalog database (a new file, or a new schema). */
  public abstract CatalogFixture fresh(String prefix);

  /** The same catalog reached through a read-only session. */
  public abstract String readOnly(String url);

  private static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
