-- Differential queries: aggregates. One query per record, records separated by a blank line.

SELECT count(*) FROM nums;

SELECT count(a) FROM nums;

SELECT a % 5 AS k, count(a) FROM nums GROUP BY 1;

SELECT count(DISTINCT a) FROM nums;

SELECT a % 5 AS k, count(DISTINCT a) FROM nums GROUP BY 1;

SELECT sum(a) FROM nums;

SELECT a % 5 AS k, sum(a) FROM nums GROUP BY 1;

SELECT sum(DISTINCT a) FROM nums;

SELECT a % 5 AS k, sum(DISTINCT a) FROM nums GROUP BY 1;

SELECT avg(a) FROM nums;

SELECT a % 5 AS k, avg(a) FROM nums GROUP BY 1;

SELECT avg(x) FROM nums;

SELECT a % 5 AS k, avg(x) FROM nums GROUP BY 1;

SELECT min(a) FROM nums;

SELECT a % 5 AS k, min(a) FROM nums GROUP BY 1;

SELECT max(a) FROM nums;

SELECT a % 5 AS k, max(a) FROM nums GROUP BY 1;

SELECT min(s) FROM strs;

SELECT max(x) FROM nums;

SELECT a % 5 AS k, max(x) FROM nums GROUP BY 1;

SELECT sum(x) FROM nums;

SELECT a % 5 AS k, sum(x) FROM nums GROUP BY 1;

SELECT stddev_samp(x) FROM nums;

SELECT a % 5 AS k, stddev_samp(x) FROM nums GROUP BY 1;

SELECT stddev_pop(x) FROM nums;

SELECT a % 5 AS k, stddev_pop(x) FROM nums GROUP BY 1;

SELECT var_samp(x) FROM nums;

SELECT a % 5 AS k, var_samp(x) FROM nums GROUP BY 1;

SELECT var_pop(x) FROM nums;

SELECT a % 5 AS k, var_pop(x) FROM nums GROUP BY 1;

SELECT stddev(x) FROM nums;

SELECT a % 5 AS k, stddev(x) FROM nums GROUP BY 1;

SELECT variance(x) FROM nums;

SELECT a % 5 AS k, variance(x) FROM nums GROUP BY 1;

SELECT count_if(a > 50) FROM nums;

SELECT a % 5 AS k, count_if(a > 50) FROM nums WHERE a IS NOT NULL GROUP BY 1;

SELECT bool_and(a > 0) FROM nums;

SELECT a % 5 AS k, bool_and(a > 0) FROM nums GROUP BY 1;

SELECT bool_or(a > 98) FROM nums;

SELECT a % 5 AS k, bool_or(a > 98) FROM nums GROUP BY 1;

SELECT max_by(id, x) FROM nums;

SELECT a % 5 AS k, max_by(id, x) FROM nums GROUP BY 1;

SELECT min_by(id, x) FROM nums;

SELECT a % 5 AS k, min_by(id, x) FROM nums GROUP BY 1;

SELECT corr(x, y) FROM nums;

SELECT a % 5 AS k, corr(x, y) FROM nums GROUP BY 1;

SELECT covar_samp(x, y) FROM nums;

SELECT a % 5 AS k, covar_samp(x, y) FROM nums GROUP BY 1;

SELECT covar_pop(x, y) FROM nums;

SELECT a % 5 AS k, covar_pop(x, y) FROM nums GROUP BY 1;

SELECT avg(c) FROM nums;

SELECT a % 5 AS k, avg(c) FROM nums GROUP BY 1;

SELECT sum(c) FROM nums;

SELECT a % 5 AS k, sum(c) FROM nums GROUP BY 1;

SELECT count(DISTINCT b % 5) FROM nums;

SELECT a % 5 AS k, count(DISTINCT b % 5) FROM nums GROUP BY 1;

SELECT avg(DISTINCT b) FROM nums;

SELECT a % 5 AS k, avg(DISTINCT b) FROM nums GROUP BY 1;

SELECT count(*), sum(a), avg(a), min(a), max(a) FROM nums WHERE a > 1000;

SELECT sum(amount), avg(quantity) FROM fact_sales;

