-- deltasql quick start: bin/deltasql -f examples/quickstart.sql
-- Two Delta tables in ./lake (data under ./lake/default/<table>/, the log in the embedded
-- catalog and mirrored to each table's _delta_log/). Safe to run again: it starts afresh.

DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS customers;

CREATE TABLE customers (
  id      INT NOT NULL,
  name    STRING,
  country STRING
);

-- Partitioned by day: each order_date gets its own folder.
CREATE TABLE orders (
  id          BIGINT NOT NULL,
  customer_id INT,
  amount      DECIMAL(10, 2),
  order_date  DATE
) PARTITIONED BY (order_date);

INSERT INTO customers VALUES
  (1, 'Ada', 'UK'),
  (2, 'Grace', 'US'),
  (3, 'Linus', 'FI');

INSERT INTO orders VALUES
  (100, 1, 12.50, DATE '2024-05-01'),
  (101, 2, 30.00, DATE '2024-05-01'),
  (102, 1,  7.25, DATE '2024-05-02'),
  (103, 3, 99.99, DATE '2024-05-03');

-- A join and an aggregate: revenue per customer.
SELECT c.name, COUNT(*) AS orders, SUM(o.amount) AS revenue
FROM orders o JOIN customers c ON o.customer_id = c.id
GROUP BY c.name
ORDER BY revenue DESC;

-- Change some rows: each statement is one Delta commit.
UPDATE orders SET amount = amount + 1 WHERE id = 102;
DELETE FROM orders WHERE order_date = DATE '2024-05-03';

DESCRIBE HISTORY orders;

-- One transaction across both tables: both commit, or neither does.
BEGIN MULTI;
INSERT INTO customers VALUES (4, 'Barbara', 'US');
INSERT INTO orders VALUES (104, 4, 42.00, DATE '2024-05-04');
COMMIT;

SELECT c.country, COUNT(*) AS orders, SUM(o.amount) AS revenue
FROM orders o JOIN customers c ON o.customer_id = c.id
GROUP BY c.country
ORDER BY c.country;

-- The log is queryable: the latest commits of both tables, and the data files of one.
SELECT table_name, version, operation, txn_id
FROM sys.history
ORDER BY table_name, version;

SELECT partition_values, num_records, size_bytes
FROM sys.files
WHERE table_name = 'orders'
ORDER BY partition_values;
