-- Differential queries: what the logic-bug oracles (Tests/oracles/oracles.py) found, one record per finding.

-- avg over BIGINT keeps an exact sum: a double running sum lost the 5 next to ±9.2e18 (gave 0, not 5/3).
SELECT avg(x) FROM (VALUES (CAST(9223372036854775807 AS BIGINT)), (CAST(5 AS BIGINT)), (CAST(-9223372036854775807 AS BIGINT))) AS v(x);

SELECT k, avg(x) FROM (VALUES (1, CAST(9223372036854775807 AS BIGINT)), (1, CAST(3000000000 AS BIGINT)), (1, CAST(-9223372036854775807 AS BIGINT)), (2, CAST(-7 AS BIGINT)), (2, NULL)) AS v(k, x) GROUP BY k;

SELECT avg(c), avg(a) FROM nums;

SELECT k, avg(x) OVER (PARTITION BY k) AS a, avg(x) OVER (ORDER BY k, x) AS r FROM (VALUES (1, CAST(9223372036854775807 AS BIGINT)), (1, CAST(5 AS BIGINT)), (1, CAST(-9223372036854775807 AS BIGINT)), (2, CAST(-7 AS BIGINT)), (2, NULL)) AS v(k, x);

-- Partitions that each fit sum correctly even when the running total over all rows would not.
SELECT k, x, sum(x) OVER (PARTITION BY k) FROM (VALUES ('a', CAST(9000000000000000000 AS BIGINT)), ('a', CAST(1 AS BIGINT)), ('b', CAST(9000000000000000000 AS BIGINT)), ('b', CAST(2 AS BIGINT))) AS v(k, x);

-- An expression that starts with a scalar subquery inside parentheses was a syntax error ("after the subquery").
SELECT ((SELECT max(a) FROM nums) + 1), ((SELECT min(s) FROM strs) IS NULL);

SELECT count(*) FROM nums WHERE ((SELECT min(a) FROM nums) < a);

-- NULL NOT IN (a non-empty subquery) is NULL, so WHERE keeps no row (the anti join had no key and kept them all).
SELECT count(*) FROM nums WHERE NULL NOT IN (SELECT a FROM nums WHERE a IS NOT NULL);

SELECT count(*) FROM nums WHERE CAST(NULL AS INTEGER) NOT IN (SELECT b FROM nums WHERE b > 50);

SELECT count(*) FROM nums WHERE NULL NOT IN (SELECT a FROM nums WHERE a > 1000);

SELECT count(*) FROM nums WHERE 7 NOT IN (SELECT a FROM nums WHERE a IS NOT NULL);

-- coalesce of untyped NULLs takes its UNION partner's type, as a bare NULL does (was: BOOLEAN vs INTEGER error).
SELECT x FROM (SELECT FALSE AS x UNION ALL SELECT coalesce(NULL, NULL)) t ORDER BY x NULLS FIRST;

SELECT x FROM (SELECT 'a' AS x UNION ALL SELECT coalesce(NULL, NULL, NULL) UNION ALL SELECT NULL) t ORDER BY x NULLS FIRST;

-- A DISTINCT / GROUP BY key table in perfect-hash mode based at 2^63-1 overflowed when a second batch widened it
-- (found by the SQLite oracle: a UNION whose first input gave the key 9223372036854775807).
SELECT x FROM (SELECT CAST(9223372036854775807 AS BIGINT) AS x UNION SELECT CAST(9 AS BIGINT) UNION SELECT CAST(-5 AS BIGINT)) t ORDER BY x;

SELECT k, count(*) FROM (SELECT CAST(9223372036854775807 AS BIGINT) AS k UNION ALL SELECT c FROM nums) t GROUP BY k ORDER BY k LIMIT 5;

-- A string column compared with a one-entry dictionary column lost the dictionary side's NULLs (found by the SQLite
-- oracle: a GROUP BY key that is NULL in one group and 'x' in another compared as 'x').
SELECT a3, CAST(a3 AS VARCHAR) <= a1, a1 > CAST(a3 AS VARCHAR), CAST(count(*) AS VARCHAR) NOT BETWEEN max(a1) AND a1 FROM (VALUES (CAST(NULL AS VARCHAR), 24), ('x', 5), (NULL, 6)) AS v(a1, a3) GROUP BY a1, a3;

SELECT s, t, s < t FROM (SELECT s, CASE WHEN id % 3 = 0 THEN NULL ELSE 'm' END AS t FROM strs) u;
