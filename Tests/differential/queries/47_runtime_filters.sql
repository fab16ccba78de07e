-- Differential queries: runtime filters (a hash join's build keys as a range and a Bloom filter pushed into the probe
-- side's scan). NULL keys on both sides, a selective build side, an empty one (the probe side is not read), several
-- key columns, an INTEGER probe key against a BIGINT build key (a widening cast), DATE keys, the filter through a
-- projection, a filter and a GROUP BY on the key, semi joins, a right join, and joins that must not filter (left,
-- anti, a key under an aggregate that is not a group key).

SELECT n1.id, n2.id FROM nums n1 JOIN nums n2 ON n1.a = n2.b WHERE n2.id < 40;

SELECT count(*), sum(n1.c) FROM nums n1 JOIN nums n2 ON n1.b = n2.a WHERE n2.x < 0.05;

SELECT count(*) FROM nums n1 JOIN nums n2 ON n1.a = n2.a WHERE n2.id < 0;

SELECT n1.id FROM nums n1 WHERE n1.a IN (SELECT b FROM nums WHERE id BETWEEN 100 AND 110);

SELECT n1.id, n1.a FROM nums n1 WHERE EXISTS (SELECT 1 FROM nums n2 WHERE n2.b = n1.a AND n2.id < 30);

SELECT count(*) FROM nums n1 WHERE n1.a IN (SELECT a FROM nums WHERE id < 0);

SELECT n1.id, n2.id FROM nums n1 JOIN nums n2 ON n1.a = n2.a AND n1.b = n2.b WHERE n2.id % 97 = 1;

SELECT n1.id, n2.id FROM nums n1 JOIN nums n2 ON CAST(n1.a AS BIGINT) = n2.c WHERE n2.id < 500;

SELECT count(*) FROM nums n1 JOIN (SELECT CAST(a AS BIGINT) + 0 AS k FROM nums WHERE id < 20) s ON n1.a = s.k;

SELECT e.id, f.id FROM events e JOIN events f ON e.d = f.d WHERE f.kind = 'signup' AND f.amount < 5;

SELECT s.product_key, s.n, p.name FROM (SELECT product_key, count(*) AS n FROM fact_sales GROUP BY product_key) s
JOIN dim_product p ON p.product_key = s.product_key WHERE p.price < 60;

SELECT g.customer_key, g.product_key, g.q FROM (SELECT customer_key, product_key, sum(quantity) AS q FROM fact_sales
  WHERE sale_date >= DATE '2024-03-01' GROUP BY customer_key, product_key) g
JOIN fact_sales f ON f.customer_key = g.customer_key AND f.product_key = g.product_key WHERE f.sale_id % 250 = 7;

SELECT t.k, t.total FROM (SELECT product_key % 5 AS k, sum(amount) AS total FROM fact_sales GROUP BY product_key % 5) t
JOIN dim_product p ON p.product_key = t.k WHERE p.price > 100;

SELECT f.sale_id, c.name FROM (SELECT * FROM fact_sales WHERE quantity > 3) f JOIN dim_customer c ON c.customer_key = f.customer_key
WHERE c.region = 'North' AND c.segment = 'corporate';

SELECT c.customer_key, f.sale_id FROM fact_sales f RIGHT JOIN dim_customer c ON c.customer_key = f.customer_key
WHERE c.customer_key > 190;

SELECT n1.id, n2.id FROM nums n1 LEFT JOIN nums n2 ON n1.a = n2.b AND n2.id < 10 WHERE n1.id < 60;

SELECT count(*) FROM nums n1 WHERE NOT EXISTS (SELECT 1 FROM nums n2 WHERE n2.b = n1.a AND n2.id < 50);

SELECT count(*) FROM nums n1 WHERE n1.a NOT IN (SELECT b FROM nums WHERE id < 50 AND b IS NOT NULL);

SELECT f.sale_id, p.name, c.region FROM fact_sales f JOIN dim_product p ON p.product_key = f.product_key
JOIN dim_customer c ON c.customer_key = f.customer_key WHERE p.category = 'Lights' AND c.region = 'West' AND f.quantity = 10;
