-- deltasql catalog schema version 5 (H2): the index H2 picks before it has statistics.
-- H2 gives each REFERENCES column an index of its own, so every table below has an index on
-- table_id alone. Until H2 has analysed a table (after 2,000 changed rows, counting committed
-- rows only), it rates that index as good as the primary key and takes it: a lookup of one file
-- or version by its key then reads every row of the table. Within one transaction that writes
-- many rows (the import of a large table, one commit of many files) each lookup reads all the
-- rows written so far, and the import of a table with 100k files and 50k tombstones did not end.
-- A table_id has few distinct values (one per table): declaring so makes H2 rate the index on
-- table_id alone as the poor choice it is, before and after its own analysis.
ALTER TABLE delta_versions ALTER COLUMN table_id SELECTIVITY 1;
ALTER TABLE delta_protocols ALTER COLUMN table_id SELECTIVITY 1;
ALTER TABLE delta_metadata ALTER COLUMN table_id SELECTIVITY 1;
ALTER TABLE delta_files ALTER COLUMN table_id SELECTIVITY 1;
ALTER TABLE delta_removes ALTER COLUMN table_id SELECTIVITY 1;
ALTER TABLE delta_app_txns ALTER COLUMN table_id SELECTIVITY 1;
ALTER TABLE delta_domains ALTER COLUMN table_id SELECTIVITY 1;
ALTER TABLE delta_cdc_files ALTER COLUMN table_id SELECTIVITY 1;
ALTER TABLE delta_mirror_status ALTER COLUMN table_id SELECTIVITY 1;
ALTER TABLE delta_file_images ALTER COLUMN table_id SELECTIVITY 1;
