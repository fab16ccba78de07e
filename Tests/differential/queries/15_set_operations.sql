-- Differential queries: set operations. One query per record, records separated by a blank line.

SELECT a FROM nums WHERE id < 50 UNION SELECT b FROM nums WHERE id < 50;

SELECT a FROM nums WHERE id < 50 UNION ALL SELECT b FROM nums WHERE id < 50;

SELECT a FROM nums INTERSECT SELECT b FROM nums;

SELECT a FROM nums EXCEPT SELECT b FROM nums;

SELECT s FROM strs UNION SELECT t FROM strs;

SELECT id FROM nums WHERE id < 20 EXCEPT SELECT id FROM strs WHERE id < 10;

SELECT kind FROM events UNION SELECT 'other';

SELECT count(*) FROM (SELECT a FROM nums UNION SELECT b FROM nums) t;

SELECT a, b FROM nums WHERE id < 10 UNION SELECT b, a FROM nums WHERE id < 10;

SELECT a FROM nums WHERE a < 5 UNION ALL SELECT a FROM nums WHERE a < 5 ORDER BY 1 NULLS FIRST;

SELECT 1 AS v UNION SELECT 2 UNION SELECT 1;

SELECT a % 5 FROM nums INTERSECT SELECT b % 7 FROM nums;

SELECT customer_key FROM dim_customer EXCEPT SELECT customer_key FROM fact_sales;

