-- Differential queries: GROUP BY over a filter that keeps most rows (the aggregation takes the unfiltered batch
-- and the kept rows instead of a gathered copy), and decimal arithmetic with a constant operand.

SELECT a % 5, count(*), count(b), sum(b), sum(c), avg(b), min(x) FROM nums WHERE id > 100 GROUP BY a % 5 ORDER BY 1;

SELECT b % 3, count(*), sum(CAST(abs(c) % 100000 AS DECIMAL(15,2)) * (1 - CAST(abs(y) AS DECIMAL(15,2)))), CAST(avg(CAST(abs(c) % 1000 AS DECIMAL(15,2))) AS DECIMAL(18,2)) FROM nums WHERE x IS NOT NULL OR a > 10 GROUP BY b % 3 ORDER BY 1;

SELECT s, count(*), count(t) FROM strs WHERE s <> 'apple' GROUP BY s ORDER BY 1;

SELECT s, count(*), count(t) FROM strs WHERE t IS NOT NULL GROUP BY s ORDER BY 1;

SELECT a % 4, count(*), sum(b) FROM nums WHERE id < 0 GROUP BY a % 4 ORDER BY 1;

SELECT a % 3, count(c * 3900000000), count(*) FROM nums WHERE abs(c) < 2300000000 GROUP BY a % 3 ORDER BY 1;

SELECT a % 4, count(DISTINCT b), count(*) FROM nums WHERE id > 50 GROUP BY a % 4 ORDER BY 1;

SELECT sum(1 - CAST(y AS DECIMAL(15,2))), sum(CAST(abs(c) % 100000 AS DECIMAL(15,2)) * 3), sum(CAST(y AS DECIMAL(15,2)) + 1.5), sum(2.25 - CAST(y AS DECIMAL(15,4))) FROM nums;
