-- deltasql transactions: bin/deltasql -f examples/transactions.sql
-- Two tables in ./lake changed together: a transaction that commits, one that is rolled back,
-- and (described below: it takes two sessions) a conflict. Safe to run again: it starts afresh.

DROP TABLE IF EXISTS ledger;
DROP TABLE IF EXISTS accounts;

CREATE TABLE accounts (id INT NOT NULL, owner STRING, balance DECIMAL(12, 2));
CREATE TABLE ledger (account INT NOT NULL, amount DECIMAL(12, 2), note STRING);

INSERT INTO accounts VALUES (1, 'Ada', 100.00), (2, 'Grace', 50.00);

-- 1. A transfer that commits: two balances and two ledger lines, one version of each table,
--    one transaction id. Until COMMIT no other connection sees any of it; then all of it.
BEGIN MULTI ISOLATION LEVEL SERIALIZABLE;
UPDATE accounts SET balance = balance - 30 WHERE id = 1;
UPDATE accounts SET balance = balance + 30 WHERE id = 2;
INSERT INTO ledger VALUES (1, -30.00, 'to Grace'), (2, 30.00, 'from Ada');
-- The transaction reads its own writes.
SELECT id, owner, balance FROM accounts ORDER BY id;
COMMIT;

-- 2. A transfer that is rolled back: inside the transaction its writes are visible ...
BEGIN MULTI;
UPDATE accounts SET balance = balance - 500 WHERE id = 2;
INSERT INTO ledger VALUES (2, -500.00, 'overdraft');
SELECT id, owner, balance FROM accounts WHERE id = 2;
ROLLBACK;

-- ... and after ROLLBACK nothing is left of them: no rows, no version (and its data files
--     are deleted).
SELECT a.id, a.owner, a.balance, SUM(l.amount) AS moved
FROM accounts a LEFT JOIN ledger l ON l.account = a.id
GROUP BY a.id, a.owner, a.balance
ORDER BY a.id;

SELECT h.table_name, h.version, h.operation, h.txn_id
FROM sys.history h
WHERE h.table_name IN ('accounts', 'ledger')
ORDER BY h.table_name, h.version;

-- 3. A conflict takes two sessions, and this script runs on one connection, so it is told
--    here rather than run (tck's concurrency.iq runs it on two connections):
--
--    session A:  BEGIN MULTI ISOLATION LEVEL REPEATABLE READ;
--                SELECT balance FROM accounts WHERE id = 1;            -- 70.00, version 2
--    session B:  UPDATE accounts SET balance = balance + 5 WHERE id = 1;  -- commits version 3
--    session A:  UPDATE accounts SET balance = balance - 10 WHERE id = 1;
--                COMMIT;
--    ERROR 40001: Transaction ... cannot commit: table 'default.accounts' was read at version 2,
--    and version 3 (UPDATE) of transaction ..., committed meanwhile, removed file '...', which
--    this transaction also removes or rewrites (a concurrent delete or update of the same rows).
--    Nothing was committed to any table; retry the transaction.
--
--    Session A's transaction is over and nothing of it was written; the client runs it again
--    from BEGIN (it then reads 75.00). Two transactions that lock tables in opposite orders
--    end in a deadlock instead: the one of lower PRIORITY (BEGIN MULTI PRIORITY n) gets
--    ERROR 40P01, rolls back and retries; the other goes on. A lock wait longer than the
--    URL property lockTimeout (milliseconds, 30000 by default) gets ERROR 55P03.
