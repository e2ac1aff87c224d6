-- deltasql catalog schema version 3 (PostgreSQL): schemas created with CREATE SCHEMA.
-- A schema also exists while a table names it; this table keeps empty ones.
CREATE TABLE IF NOT EXISTS delta_schemas (
  schema_name VARCHAR(255) NOT NULL PRIMARY KEY,
  created_at  BIGINT       NOT NULL
);
