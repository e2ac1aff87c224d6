-- One row updated 20,000 times in one PostgreSQL transaction, timed 5,000 updates at a time: each
-- update leaves a version of the row that later reads of it walk past until the transaction ends,
-- so each block is slower than the one before (session 11: 230, 601, 1,319, 1,788 ms). The catalog
-- import advanced delta_tables this way once a version before 50ce3e8.
--   psql -h 127.0.0.1 -U postgres -d test -f bench/results/2026-12-03-row-versions-in-one-transaction.sql
DROP SCHEMA IF EXISTS chaintest CASCADE; CREATE SCHEMA chaintest; SET search_path=chaintest;
CREATE TABLE t (id bigint primary key, v bigint);
INSERT INTO t VALUES (1, 0);
BEGIN;
DO $$ DECLARE i int; s timestamptz; BEGIN
 FOR k IN 1..4 LOOP
  s := clock_timestamp();
  FOR i IN 1..5000 LOOP UPDATE t SET v = v + 1 WHERE id = 1; END LOOP;
  RAISE NOTICE 'block % : % ms', k, extract(epoch from clock_timestamp()-s)*1000;
 END LOOP; END $$;
ROLLBACK;
DROP SCHEMA chaintest CASCADE;
