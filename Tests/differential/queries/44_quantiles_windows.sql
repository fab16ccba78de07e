-- Differential queries: exact quantiles per group (median, quantile_cont: quickselect, not a sort) and windows whose
-- PARTITION BY keys are grouped by a key table (integers, strings, NULL partitions, several keys) before each
-- partition is sorted on its own.

SELECT a % 7 AS k, median(x) FROM nums GROUP BY 1;

SELECT b % 5 AS k, median(a), median(c) FROM nums GROUP BY 1;

SELECT kind, median(amount), quantile_cont(amount, 0.1), quantile_cont(amount, 0.9) FROM events GROUP BY kind;

SELECT a % 3 AS k, quantile_cont(b, 0.25), quantile_cont(b, 0.75), quantile_cont(b, 0), quantile_cont(b, 1) FROM nums GROUP BY 1;

SELECT median(y) FROM nums;

SELECT median(x) FROM nums WHERE id < 0;

SELECT id, row_number() OVER (PARTITION BY kind, d ORDER BY amount DESC, id) AS r FROM events;

SELECT id, dense_rank() OVER (PARTITION BY b % 4, a % 3 ORDER BY x, id) AS r FROM nums;

SELECT id, sum(a) OVER (PARTITION BY b ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s FROM nums;

SELECT id, count(*) OVER (PARTITION BY kind) AS n, lag(amount) OVER (PARTITION BY kind ORDER BY ts, id) AS prev FROM events;
