-- deltasql catalog schema version 6 (PostgreSQL): a file image's chunk in three columns.
-- A listing reads only data (the chunk's header and its files' paths, sizes, partition values
-- and the rest of what a snapshot holds, about a third of an image); planning then reads
-- stats_columns (the typed statistics that file skipping tests), and a reader of a file's stats
-- JSON reads stats (the compressed JSON section, about half of an image). PostgreSQL detoasts
-- and sends a column only when a query selects it. Existing images are of a format this version
-- does not read: they are dropped (derived data; the next large read writes a new one).
DELETE FROM delta_file_images;
ALTER TABLE delta_file_images ADD COLUMN stats_columns BYTEA;
ALTER TABLE delta_file_images ADD COLUMN stats BYTEA;
-- Compressed already: stored out of line without PostgreSQL's own compression, as data is.
ALTER TABLE delta_file_images ALTER COLUMN stats_columns SET STORAGE EXTERNAL;
ALTER TABLE delta_file_images ALTER COLUMN stats SET STORAGE EXTERNAL;
