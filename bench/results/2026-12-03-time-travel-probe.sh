#!/usr/bin/env bash
# 150 `SELECT sum(balance), count(*) FROM acc VERSION AS OF v` (v = 1..150) in one session, and
# how many snapshots the snapshot cache read whole ("full load") or advanced. Run from a checkout:
#   bash bench/results/2026-12-03-time-travel-probe.sh [WAREHOUSE]
# 2026-12-03 (H2): 1,855 full loads, 2,163 advances on 9559ae1 (and b9ca61e); 2 and 149 on eeec4f0.
set -euo pipefail
wh="${1:-$(mktemp -d)/wh}"
dir="$(mktemp -d)"
{ echo "CREATE TABLE acc (id INT, balance BIGINT);"; echo "INSERT INTO acc VALUES (1, 100), (2, 100);"
  for i in $(seq 1 150); do echo "UPDATE acc SET balance = balance + 1 WHERE id = 1;"; done; } > "$dir/setup.sql"
for v in $(seq 1 150); do echo "SELECT sum(balance), count(*) FROM acc VERSION AS OF $v;"; done > "$dir/queries.sql"
bin/deltasql -u "jdbc:deltasql:warehouse=$wh" -f "$dir/setup.sql" > /dev/null
DELTASQL_JAVA_OPTS="-Dorg.slf4j.simpleLogger.log.io.deltasql.core.cache=debug" \
  bin/deltasql -u "jdbc:deltasql:warehouse=$wh" -f "$dir/queries.sql" 2> "$dir/cache.log" > /dev/null
echo "full loads: $(grep -c 'full load' "$dir/cache.log"), advances: $(grep -c 'advanced' "$dir/cache.log")"
