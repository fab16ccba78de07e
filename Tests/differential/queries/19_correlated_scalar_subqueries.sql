-- Differential queries: correlated scalar subqueries, which the optimizer flattens into a join with a grouped
-- aggregate. Customers 196–200 have no sales (empty groups); nums.a and nums.b hold NULLs (NULL keys).

SELECT c.customer_key, (SELECT count(*) FROM fact_sales f WHERE f.customer_key = c.customer_key) AS n FROM dim_customer c ORDER BY 1;

SELECT c.customer_key FROM dim_customer c WHERE (SELECT count(*) FROM fact_sales f WHERE f.customer_key = c.customer_key) = 0;

SELECT c.customer_key FROM dim_customer c WHERE (SELECT count(f.amount) FROM fact_sales f WHERE f.customer_key = c.customer_key) < 20;

SELECT c.customer_key, (SELECT sum(amount) FROM fact_sales f WHERE f.customer_key = c.customer_key) FROM dim_customer c WHERE c.customer_key > 185;

SELECT c.customer_key, (SELECT count(*) + 1 FROM fact_sales f WHERE f.customer_key = c.customer_key AND f.quantity > 8) FROM dim_customer c;

SELECT c.customer_key FROM dim_customer c WHERE coalesce((SELECT max(amount) FROM fact_sales f WHERE f.customer_key = c.customer_key), -1) < 0;

SELECT c.customer_key, CASE WHEN c.customer_key % 2 = 0 THEN (SELECT count(*) FROM fact_sales f WHERE f.customer_key = c.customer_key) ELSE -1 END FROM dim_customer c;

SELECT n.id, (SELECT count(*) FROM nums m WHERE m.b = n.a) FROM nums n WHERE n.id <= 80;

SELECT n.id FROM nums n WHERE n.x > (SELECT avg(m.x) FROM nums m WHERE m.a = n.a);

SELECT n.id FROM nums n WHERE n.id <= 300 AND n.b < (SELECT count(*) FROM nums m WHERE m.a = n.a + 1);

SELECT n.id, (SELECT avg(m.x) FROM nums m WHERE m.id = n.id AND m.x IS NULL) FROM nums n WHERE n.id < 40;

SELECT n.id, (SELECT count(*) FROM nums m WHERE m.id < n.id AND m.a = n.a) FROM nums n WHERE n.id <= 60;

SELECT n.id FROM nums n WHERE n.id <= 200 AND n.a > (SELECT avg(m.a) FROM nums m WHERE m.id > n.id);

SELECT f.sale_id FROM fact_sales f WHERE f.amount > (SELECT 1.5 * avg(g.amount) FROM fact_sales g WHERE g.customer_key = f.customer_key AND g.product_key = f.product_key);

SELECT sum(f.amount) / 7.0 FROM fact_sales f, dim_product p WHERE p.product_key = f.product_key AND p.category = 'Bikes' AND f.quantity < (SELECT 0.5 * avg(g.quantity) FROM fact_sales g WHERE g.product_key = p.product_key);

SELECT f.sale_id, f.customer_key FROM fact_sales f WHERE f.amount = (SELECT min(g.amount) FROM fact_sales g, dim_product p WHERE g.product_key = p.product_key AND p.category = 'Shoes' AND g.customer_key = f.customer_key);

SELECT c.customer_key FROM dim_customer c WHERE c.customer_key IN (SELECT f.customer_key FROM fact_sales f WHERE f.product_key IN (SELECT product_key FROM dim_product WHERE category = 'Bikes') AND f.quantity > (SELECT 0.5 * sum(g.quantity) FROM fact_sales g WHERE g.customer_key = f.customer_key AND g.product_key = f.product_key AND g.sale_date >= DATE '2024-03-01'));

SELECT c.customer_key, (SELECT max(f.amount) - min(f.amount) FROM fact_sales f WHERE f.customer_key = c.customer_key) AS spread FROM dim_customer c WHERE c.region = 'North' ORDER BY spread DESC NULLS LAST, 1 LIMIT 15;

SELECT c.region, count(*) FROM dim_customer c WHERE (SELECT count(DISTINCT f.product_key) FROM fact_sales f WHERE f.customer_key = c.customer_key) > 20 GROUP BY c.region;

SELECT c.customer_key FROM dim_customer c WHERE (SELECT sum(f.quantity) FROM fact_sales f WHERE f.customer_key = c.customer_key HAVING sum(f.quantity) > 150) IS NOT NULL;

SELECT p.product_key, (SELECT count(*) FROM fact_sales f WHERE f.product_key = p.product_key AND f.customer_key IN (SELECT customer_key FROM dim_customer WHERE region = 'West')) FROM dim_product p;
