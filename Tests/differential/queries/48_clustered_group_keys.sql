-- Differential queries: GROUP BY one integer key whose values arrive clustered (like TPC-H's l_orderkey: rows of
-- a key together, keys rising), spanning far more values than the fixed perfect-hash limit (2^18) while dense:
-- Tarn keeps the perfect-hash array and grows it as the keys move. The per-group results are folded into sums of
-- products, so a row given to the wrong group changes the answer.

-- Rising keys, four rows a key, one key in four used (span 1.2M, 300k groups).
SELECT count(*), sum(n), sum(k * n), sum(n * n), CAST(sum(s) AS VARCHAR), min(k), max(k) FROM (
  SELECT (g / 4) * 4 AS k, count(*) AS n, sum(CAST(g AS DECIMAL(15,2))) AS s
  FROM generate_series(1, 1200000) AS t(g) GROUP BY k) AS x;

-- Falling keys into negative values, with NULL keys and a HAVING.
SELECT count(*), sum(n), sum(k * n), sum(k * v), min(k), max(k) FROM (
  SELECT CASE WHEN g % 1000 = 0 THEN NULL ELSE 500000 - g * 2 END AS k, count(*) AS n, max(g) AS v
  FROM generate_series(1, 700000) AS t(g) GROUP BY k HAVING count(*) >= 1) AS x;

-- Clustered keys that turn sparse midway (the table moves to hashing, keeping every group).
SELECT count(*), sum(n), sum(k % 1000003 * n), min(k), max(k) FROM (
  SELECT CASE WHEN g < 500000 THEN g / 2 ELSE g * 1000000007 END AS k, count(*) AS n
  FROM generate_series(1, 600000) AS t(g) GROUP BY k) AS x;
