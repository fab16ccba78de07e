-- Differential queries: subqueries. One query per record, records separated by a blank line.

SELECT id FROM nums WHERE a > (SELECT avg(a) FROM nums);

SELECT id, (SELECT max(b) FROM nums) FROM nums WHERE id < 10;

SELECT id FROM nums WHERE a IN (SELECT b FROM nums WHERE b > 95);

SELECT id FROM nums WHERE a NOT IN (SELECT b FROM nums WHERE b IS NOT NULL);

SELECT id FROM nums n WHERE EXISTS (SELECT 1 FROM strs s WHERE s.id = n.id);

SELECT id FROM nums n WHERE NOT EXISTS (SELECT 1 FROM strs s WHERE s.id = n.id);

SELECT c.customer_key, (SELECT count(*) FROM fact_sales f WHERE f.customer_key = c.customer_key) FROM dim_customer c;

SELECT c.customer_key FROM dim_customer c WHERE (SELECT sum(amount) FROM fact_sales f WHERE f.customer_key = c.customer_key) > 15000;

SELECT id FROM nums n WHERE a > (SELECT avg(b) FROM nums m WHERE m.a % 10 = n.a % 10);

SELECT t.k, t.n FROM (SELECT a % 10 AS k, count(*) AS n FROM nums GROUP BY 1) t WHERE t.n > 190;

SELECT max(n) FROM (SELECT count(*) AS n FROM fact_sales GROUP BY customer_key) t;

SELECT id FROM nums WHERE a IN (SELECT a FROM nums WHERE id < 5);

SELECT count(*) FROM nums WHERE b NOT IN (SELECT a FROM nums WHERE id < 50);

SELECT id FROM nums WHERE a = (SELECT min(a) FROM nums);

SELECT p.name FROM dim_product p WHERE p.product_key IN (SELECT product_key FROM fact_sales WHERE quantity = 10);

SELECT (SELECT count(*) FROM nums) + (SELECT count(*) FROM strs);

SELECT id, a IN (SELECT b FROM nums WHERE id < 20) FROM nums WHERE id < 30;

SELECT id FROM events e WHERE amount > (SELECT avg(amount) FROM events e2 WHERE e2.kind = e.kind);

