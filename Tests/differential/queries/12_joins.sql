-- Differential queries: joins. One query per record, records separated by a blank line.

SELECT f.sale_id, c.name FROM fact_sales f JOIN dim_customer c ON f.customer_key = c.customer_key WHERE f.sale_id < 50;

SELECT f.sale_id, p.name FROM fact_sales f INNER JOIN dim_product p ON f.product_key = p.product_key WHERE f.amount > 900;

SELECT c.customer_key, count(f.sale_id) FROM dim_customer c LEFT JOIN fact_sales f ON f.customer_key = c.customer_key GROUP BY c.customer_key;

SELECT c.customer_key, f.sale_id FROM fact_sales f RIGHT JOIN dim_customer c ON f.customer_key = c.customer_key WHERE c.customer_key > 195;

SELECT a.id, b.id FROM nums a FULL OUTER JOIN strs b ON a.id = b.id WHERE coalesce(a.id, b.id) % 50 = 0;

SELECT count(*) FROM dim_product CROSS JOIN dim_customer;

SELECT p.name, c.region FROM dim_product p CROSS JOIN (SELECT DISTINCT region FROM dim_customer) c;

SELECT count(*) FROM nums a JOIN nums b ON a.a = b.b;

SELECT a.id, b.id FROM nums a JOIN nums b ON a.a = b.a AND a.b < b.b WHERE a.id < 30;

SELECT count(*) FROM nums a LEFT JOIN nums b ON a.a = b.b AND b.id < 10;

SELECT a.id FROM nums a LEFT JOIN strs s ON a.id = s.id WHERE s.id IS NULL AND a.id < 600;

SELECT customer_key, count(*) FROM fact_sales JOIN dim_customer USING (customer_key) GROUP BY customer_key;

SELECT product_key, sum(amount) FROM fact_sales JOIN dim_product USING (product_key) GROUP BY product_key;

SELECT c.region, p.category, sum(f.amount) FROM fact_sales f JOIN dim_customer c ON f.customer_key = c.customer_key JOIN dim_product p ON f.product_key = p.product_key GROUP BY c.region, p.category;

SELECT e.id, n.a FROM events e JOIN nums n ON e.id = n.id AND n.a > 90;

SELECT count(*) FROM events e, nums n WHERE e.id = n.id;

SELECT count(*) FROM nums a JOIN nums b ON a.id < b.id WHERE a.id < 40 AND b.id < 40;

SELECT s.id, e.kind FROM strs s LEFT JOIN events e ON s.id = e.id;

SELECT count(*), count(f.sale_id) FROM dim_customer c LEFT JOIN fact_sales f ON c.customer_key = f.customer_key AND f.quantity > 8;

SELECT p.product_line, count(DISTINCT f.customer_key) FROM fact_sales f JOIN dim_product p ON p.product_key = f.product_key GROUP BY 1;

SELECT x.k, y.k FROM (SELECT a % 5 AS k FROM nums GROUP BY 1) x FULL JOIN (SELECT b % 7 AS k FROM nums GROUP BY 1) y ON x.k = y.k;

SELECT a.id, b.id FROM nums a JOIN nums b ON a.a IS NOT DISTINCT FROM b.a WHERE a.id < 20 AND b.id < 20;

