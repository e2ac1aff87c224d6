-- psql -h 127.0.0.1 -U postgres -d test -f bench/results/2026-12-03-backlog-count-explain.sql
-- The held compare-and-set's former backlog count on a table of 5,000 versions, 4,990 of them
-- updated PENDING -> DONE (as the mirror does): the first EXPLAIN shows 5,000 heap fetches.
DROP SCHEMA IF EXISTS backlog_explain CASCADE; CREATE SCHEMA backlog_explain; SET search_path = backlog_explain;
CREATE TABLE t (table_id BIGINT PRIMARY KEY, current_version BIGINT, diverged BOOLEAN DEFAULT FALSE);
CREATE TABLE m (table_id BIGINT NOT NULL, version BIGINT NOT NULL, state VARCHAR(8) NOT NULL, attempts INT DEFAULT 0,
  last_error TEXT, updated_at BIGINT, PRIMARY KEY (table_id, version));
CREATE INDEX m_state ON m (state, table_id, version);
INSERT INTO t VALUES (1, 5000, false);
INSERT INTO m SELECT 1, g, 'PENDING', 0, NULL, 0 FROM generate_series(1, 5000) g;
UPDATE m SET state = 'DONE' WHERE version <= 4990;
PREPARE q(bigint, bigint, bigint) AS UPDATE t SET current_version = $1 WHERE table_id = $2 AND current_version = $3
  AND diverged = FALSE AND (SELECT COUNT(*) FROM m WHERE m.state IN ('PENDING', 'FAILED') AND m.table_id = t.table_id) <= 1000;
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q(5001, 1, 5000);
EXPLAIN (ANALYZE, BUFFERS) EXECUTE q(5002, 1, 5001);
DROP SCHEMA backlog_explain CASCADE;
