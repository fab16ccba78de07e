-- Differential queries: filters that row-group statistics prove for some or all rows (the scan skips them
-- there; NULLs and mixed row groups must still filter), grouping on several VARCHAR keys (perfect-hash key
-- table, with NULL keys and with more values than it holds), and aggregates sharing subexpressions.

SELECT count(*), sum(a), sum(b) FROM nums WHERE id >= 1;

SELECT count(*), sum(b) FROM nums WHERE id > 0 AND a >= 0;

SELECT count(*) FROM nums WHERE a IS NOT NULL AND id <= 2000;

SELECT count(*) FROM nums WHERE a IS NULL AND id >= 1;

SELECT count(*), sum(c) FROM nums WHERE id < 1001 AND id >= 500;

SELECT count(*), sum(a) FROM nums WHERE c >= -3000000000 AND c <= 3000000000 AND a < 50;

SELECT count(*) FROM nums WHERE id <> 0 AND b <= 99;

SELECT count(*) FROM events WHERE d >= DATE '2024-01-01' AND d <= DATE '2025-01-01';

SELECT count(*) FROM events WHERE d > DATE '2024-06-30' AND id >= 1;

SELECT count(*), sum(amount) FROM fact_sales WHERE sale_date < DATE '2025-06-01' AND quantity >= 1 AND quantity <= 10;

SELECT count(*) FROM fact_sales WHERE sale_id = 1 AND quantity >= 1;

SELECT region, segment, count(*), sum(customer_key) FROM dim_customer GROUP BY region, segment;

SELECT s, CASE WHEN id % 3 = 0 THEN NULL ELSE 'x' END AS k, count(*) FROM strs GROUP BY 1, 2;

SELECT s, t, count(*), min(id) FROM strs GROUP BY s, t;

SELECT c.region, p.category, count(*), sum(f.amount) FROM fact_sales f JOIN dim_customer c ON f.customer_key = c.customer_key JOIN dim_product p ON f.product_key = p.product_key GROUP BY c.region, p.category;

SELECT c.name, p.name, count(*) FROM fact_sales f JOIN dim_customer c ON f.customer_key = c.customer_key JOIN dim_product p ON f.product_key = p.product_key GROUP BY c.name, p.name;

SELECT kind, sum(amount * (1 - amount / 100)), sum(amount * (1 - amount / 100) * 2), avg(amount) FROM events GROUP BY kind;

SELECT sum(a + b), sum((a + b) * 2), max(a + b), count(a + b) FROM nums;

SELECT a % 5, sum(CASE WHEN a > 0 THEN b / a END), sum(b + 1), avg(b + 1) FROM nums GROUP BY 1;
