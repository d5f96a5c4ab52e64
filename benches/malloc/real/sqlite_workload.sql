-- A sqlite3 workload for the malloc benchmarks: inserts, an index, joins,
-- aggregation and string building. Output must not depend on the allocator.
CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b TEXT);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000)
INSERT INTO t SELECT x, (x * 7919) % 1000, printf('row-%d-%s', x, substr('abcdefghijklmnopqrstuvwxyz', 1 + x % 26)) FROM c;
CREATE INDEX ta ON t(a);
SELECT a, count(*), sum(length(b)) FROM t GROUP BY a ORDER BY a LIMIT 5;
SELECT count(*) FROM t t1 JOIN t t2 ON t1.a = t2.a AND t2.id = t1.id + 1000;
SELECT length(group_concat(b, ',')) FROM t WHERE a < 100;
UPDATE t SET b = b || b WHERE id % 3 = 0;
DELETE FROM t WHERE id % 5 = 0;
SELECT count(*), sum(length(b)) FROM t;
