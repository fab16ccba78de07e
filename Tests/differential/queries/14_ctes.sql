-- Differential queries: ctes. One query per record, records separated by a blank line.

WITH t AS (SELECT a % 10 AS k, count(*) AS n FROM nums GROUP BY 1) SELECT k, n FROM t WHERE n > 180;

WITH a AS (SELECT id, a FROM nums WHERE a > 50), b AS (SELECT id FROM a WHERE id % 2 = 0) SELECT count(*) FROM b;

WITH s AS (SELECT customer_key, sum(amount) AS total FROM fact_sales GROUP BY 1) SELECT c.region, sum(s.total) FROM s JOIN dim_customer c USING (customer_key) GROUP BY 1;

WITH x AS (SELECT 1 AS v UNION ALL SELECT 2) SELECT sum(v) FROM x;

WITH t AS (SELECT * FROM nums) SELECT count(*) FROM t t1 JOIN t t2 ON t1.id = t2.id;

WITH m AS (SELECT month(d) AS mo, sum(amount) AS amt FROM events GROUP BY 1) SELECT mo, amt FROM m WHERE amt > (SELECT avg(amt) FROM m);

WITH t (k, n) AS (SELECT b % 3, count(*) FROM nums GROUP BY 1) SELECT * FROM t;

WITH spend AS (SELECT customer_key, sum(amount) AS total FROM fact_sales GROUP BY 1) SELECT CASE WHEN total > 14000 THEN 'High' WHEN total > 9000 THEN 'Medium' ELSE 'Low' END AS seg, count(*) FROM spend GROUP BY 1;

