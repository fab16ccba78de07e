-- Differential queries: EXISTS / NOT EXISTS joins whose outer side is much smaller than the subquery's
-- table (planned as right semi / anti hash joins that hash the outer rows), with and without a residual.

SELECT c.customer_key FROM dim_customer c WHERE c.region = 'North' AND EXISTS (SELECT 1 FROM fact_sales f WHERE f.customer_key = c.customer_key AND f.quantity > 8);

SELECT c.customer_key FROM dim_customer c WHERE c.region = 'South' AND NOT EXISTS (SELECT 1 FROM fact_sales f WHERE f.customer_key = c.customer_key AND f.quantity > 9);

SELECT c.customer_key FROM dim_customer c WHERE EXISTS (SELECT 1 FROM fact_sales f WHERE f.customer_key = c.customer_key AND f.product_key <> c.customer_key % 50 + 1 AND f.amount > 990);

SELECT c.customer_key FROM dim_customer c WHERE c.segment = 'consumer' AND NOT EXISTS (SELECT 1 FROM fact_sales f WHERE f.customer_key = c.customer_key AND f.product_key <> 7);

SELECT p.product_key, count(*) FROM dim_product p, fact_sales f WHERE p.product_key = f.product_key AND EXISTS (SELECT 1 FROM fact_sales g WHERE g.sale_id = f.sale_id AND g.customer_key <> f.customer_key) GROUP BY 1;

SELECT n.id FROM nums n WHERE n.id < 30 AND NOT EXISTS (SELECT 1 FROM nums m WHERE m.a = n.a AND m.id <> n.id);

SELECT n.id FROM nums n WHERE n.id < 30 AND EXISTS (SELECT 1 FROM nums m WHERE m.b = n.a);

SELECT c.customer_key, f.sale_id FROM dim_customer c, fact_sales f WHERE c.customer_key = f.customer_key AND f.product_key IN (SELECT product_key FROM dim_product WHERE price > 400);

SELECT c.region, count(*) FROM dim_customer c, fact_sales f WHERE c.customer_key = f.customer_key AND f.quantity NOT IN (SELECT a FROM nums WHERE id < 8) GROUP BY 1;

SELECT c.name, f.sale_id, sum(f.quantity) FROM dim_customer c, fact_sales f, dim_product p WHERE f.sale_id IN (SELECT sale_id FROM fact_sales GROUP BY sale_id HAVING sum(amount) > 995) AND c.customer_key = f.customer_key AND p.product_key = f.product_key GROUP BY 1, 2;
