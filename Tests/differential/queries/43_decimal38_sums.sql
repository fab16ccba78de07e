-- Differential queries: sums and averages of DECIMAL(19…38) arguments built from + - * (TPC-H's
-- sum(l_extendedprice * (1 - l_discount)) is a sum of DECIMAL(31,4)), which Tarn computes in 64 bits while a
-- batch's values fit and in 128 bits otherwise; and 64-bit group sums that overflow into 128 bits.
-- Sums are compared as VARCHAR (all digits); averages as numbers (DuckDB's avg(DECIMAL) is DOUBLE).

-- Q1's shape on few groups: products of DECIMAL(15,2) operands, a NULL in a factor, FILTER, a shared 1 - y.
SELECT a % 4 AS k, CAST(sum(CAST(c AS DECIMAL(15,2)) * (1 - CAST(y AS DECIMAL(15,2)))) AS VARCHAR),
       CAST(sum(CAST(c AS DECIMAL(15,2)) * (1 - CAST(y AS DECIMAL(15,2))) * (1 + CAST(x AS DECIMAL(15,2)))) AS VARCHAR),
       CAST(sum(CAST(c AS DECIMAL(15,2)) * (1 - CAST(y AS DECIMAL(15,2)))) FILTER (WHERE b > 40) AS VARCHAR), count(*)
FROM nums GROUP BY k ORDER BY k;

-- Ungrouped (Q6's shape), and + / - of products with different scales.
SELECT CAST(sum(CAST(c AS DECIMAL(15,2)) * CAST(y AS DECIMAL(15,3))) AS VARCHAR),
       CAST(sum(CAST(c AS DECIMAL(20,2)) * CAST(a AS DECIMAL(5,1)) - CAST(c AS DECIMAL(30,3))) AS VARCHAR),
       CAST(sum(CAST(c AS DECIMAL(20,2)) + CAST(y AS DECIMAL(20,6))) AS VARCHAR) FROM nums;

-- Products beyond 64 bits (10·c² reaches 9·10^19): the whole batch in 128 bits; the filtered rows fit 64 bits.
SELECT CAST(sum(CAST(c AS DECIMAL(20,1)) * CAST(c AS DECIMAL(20,0))) AS VARCHAR),
       CAST(sum(CAST(c AS DECIMAL(20,1)) * CAST(c AS DECIMAL(20,0))) FILTER (WHERE abs(c) < 900000000) AS VARCHAR) FROM nums;

SELECT a % 5 AS k, CAST(sum(CAST(c AS DECIMAL(20,1)) * CAST(c AS DECIMAL(20,0))) AS VARCHAR) FROM nums GROUP BY k ORDER BY k;

-- Many groups whose 64-bit sums overflow (c² up to 9·10^18, four rows a group), and averages of products.
SELECT id % 500 AS k, CAST(sum(CAST(c AS DECIMAL(20,0)) * CAST(c AS DECIMAL(20,0))) AS VARCHAR),
       avg(CAST(c AS DECIMAL(20,2)) * CAST(a AS DECIMAL(5,1))) FROM nums GROUP BY k ORDER BY k;

SELECT a % 3 AS k, avg(CAST(c AS DECIMAL(30,2))), avg(CAST(c AS DECIMAL(20,2)) * CAST(a AS DECIMAL(5,1))) FROM nums GROUP BY k ORDER BY k;

SELECT b, CAST(sum(CAST(c AS DECIMAL(15,2)) * (1 - CAST(y AS DECIMAL(15,2)))) AS VARCHAR) FROM nums GROUP BY b
HAVING sum(CAST(c AS DECIMAL(15,2)) * (1 - CAST(y AS DECIMAL(15,2)))) > 0 ORDER BY b;

SELECT CAST(sum(DISTINCT CAST(a AS DECIMAL(15,2)) * CAST(b AS DECIMAL(15,1))) AS VARCHAR), CAST(min(CAST(c AS DECIMAL(15,2)) * CAST(a AS DECIMAL(15,2))) AS VARCHAR),
       CAST(sum(CAST(c AS DECIMAL(15,2)) * CAST(a AS DECIMAL(15,2))) AS VARCHAR) FROM nums;

-- Several batches and parallel partial sums: 300,000 rows, values past 64 bits in some batches only.
SELECT g % 7 AS k, CAST(sum(CAST(g AS DECIMAL(15,2)) * CAST(g % 100 AS DECIMAL(15,2))) AS VARCHAR),
       CAST(sum(CAST(g AS DECIMAL(20,0)) * CAST(CASE WHEN g > 290000 THEN 100000000000000 ELSE g END AS DECIMAL(20,0))) AS VARCHAR),
       CAST(sum(CAST(g AS DECIMAL(18,0)) * 10000000000000) AS VARCHAR)
FROM generate_series(1, 300000) AS t(g) GROUP BY k ORDER BY k;
