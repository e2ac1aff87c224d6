-- deltasql catalog schema version 4 (H2): file images.
-- A file image is the set of files in force at one version of a table, encoded in one
-- compressed binary value split into chunks (FileImageCodec), so that a reader of the whole
-- snapshot reads a few large values instead of one row per file, then only the rows that
-- changed after the image's version. Versions are immutable, so an image stays valid; it is
-- derived data, written after the fact in a transaction of its own, never by a commit, and a
-- reader that cannot decode it reads the rows. Dropping the table drops its images (cascade).
-- VARBINARY without a length: H2 keeps it in the row (BLOB would go through LOB storage).
CREATE TABLE IF NOT EXISTS delta_file_images (
  table_id    BIGINT    NOT NULL REFERENCES delta_tables (table_id) ON DELETE CASCADE,
  version     BIGINT    NOT NULL,
  chunk       INTEGER   NOT NULL,
  chunk_count INTEGER   NOT NULL,
  file_count  INTEGER   NOT NULL,
  data        VARBINARY NOT NULL,
  PRIMARY KEY (table_id, version, chunk),
  CONSTRAINT delta_file_images_chunk_ck CHECK (chunk >= 0 AND chunk < chunk_count)
);
