-- deltasql catalog schema version 2 (H2): mirror bookkeeping.
-- Text columns are VARCHAR without a length: an H2 TEXT column would be a CLOB (slow, not indexable).
-- Which versions are written to each table's _delta_log, and tables whose log was
-- changed by a foreign writer (diverged: writes refused until repaired).

ALTER TABLE delta_tables ADD COLUMN IF NOT EXISTS diverged BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE delta_tables ADD COLUMN IF NOT EXISTS diverged_reason VARCHAR;

CREATE TABLE IF NOT EXISTS delta_mirror_status (
  table_id   BIGINT     NOT NULL REFERENCES delta_tables (table_id) ON DELETE CASCADE,
  version    BIGINT     NOT NULL,
  state      VARCHAR(8) NOT NULL,
  attempts   INTEGER    NOT NULL DEFAULT 0,
  last_error VARCHAR,
  updated_at BIGINT     NOT NULL,
  PRIMARY KEY (table_id, version),
  CONSTRAINT delta_mirror_status_state_ck CHECK (state IN ('PENDING', 'DONE', 'FAILED'))
);
-- The reconciler's work list: versions not yet mirrored, per table in version order.
CREATE INDEX IF NOT EXISTS delta_mirror_status_state_idx ON delta_mirror_status (state, table_id, version);

-- Versions committed before mirror tracking existed: the reconciler verifies them (a
-- mirror is put-if-absent, so an already written version is simply confirmed). An
-- imported checkpoint base is already in the log.
INSERT INTO delta_mirror_status (table_id, version, state, attempts, updated_at)
SELECT v.table_id, v.version, CASE WHEN v.is_base THEN 'DONE' ELSE 'PENDING' END, 0, v.commit_timestamp
FROM delta_versions v
WHERE NOT EXISTS (
  SELECT 1 FROM delta_mirror_status m WHERE m.table_id = v.table_id AND m.version = v.version);
