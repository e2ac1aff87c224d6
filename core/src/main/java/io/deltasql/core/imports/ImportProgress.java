package io.deltasql.core.imports;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Told of each version an import writes, so that large imports show progress. */
@FunctionalInterface
public interface ImportProgress {
  /** Logs every 1,000th version and the last one at INFO. */
  ImportProgress LOGGING = new ImportProgress() {
    private final Logger log = LoggerFactory.getLogger(ImportProgress.class);

    @Override
    public void versionImported(String table, long version, long oldest, long latest) {
      if (version == latest || (version - oldest) % 1000 == 0) {
        log.info("importing table={} version={} of {}..{}", table, version, oldest, latest);
      }
    }
  };

  /** Says nothing. */
  ImportProgress SILENT = (table, version, oldest, latest) -> { };

  /** Version {@code version} of {@code table} is written; versions run from oldest to latest. */
  void versionImported(String table, long version, long oldest, long latest);
}
