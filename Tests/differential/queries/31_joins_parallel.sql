-- Differential queries: hash joins probed in parallel under an aggregation (the probe side is a scan of many
-- small files, so both workers take morsels), the build side read in parallel, fan-out keys (output in chunks),
-- residuals reading a few columns, NULL keys, duplicate keys, empty sides, multi-column keys, and outer, semi,
-- anti and mark joins inside such pipelines.

SELECT count(*), sum(f.quantity), sum(c.customer_key) FROM fact_sales f JOIN dim_customer c ON f.customer_key = c.customer_key;

SELECT c.region, p.category, count(*), sum(f.amount) FROM fact_sales f, dim_customer c, dim_product p WHERE f.customer_key = c.customer_key AND f.product_key = p.product_key AND c.segment <> 'corporate' GROUP BY 1, 2;

SELECT f.product_key, count(*), sum(g.quantity) FROM fact_sales f JOIN fact_sales g ON f.product_key = g.product_key AND f.customer_key = g.customer_key GROUP BY 1;

SELECT f.customer_key % 7, count(*) FROM fact_sales f JOIN fact_sales g ON f.customer_key = g.customer_key GROUP BY 1;

SELECT count(*), count(m.id), sum(m.b) FROM nums n JOIN nums m ON n.a = m.a;

SELECT n.a IS NULL, count(*), count(m.id) FROM nums n LEFT JOIN nums m ON n.a = m.b GROUP BY 1;

SELECT count(*), count(n.id), count(m.id) FROM nums n FULL JOIN nums m ON n.a = m.b AND m.id < 500;

SELECT count(*), count(n.id), count(m.id) FROM nums n RIGHT JOIN nums m ON n.a = m.b AND n.id % 3 = 0;

SELECT count(*), count(m.id) FROM nums n LEFT JOIN nums m ON n.a = m.a AND n.b = m.b;

SELECT count(*), sum(n.id) FROM nums n JOIN nums m ON n.a = m.a AND n.b = m.b AND n.id < m.id;

SELECT count(*) FROM nums n JOIN nums m ON n.a = m.a AND n.c > m.c AND n.x < m.y;

SELECT count(*), sum(n.id) FROM nums n WHERE EXISTS (SELECT 1 FROM nums m WHERE m.a = n.b AND m.id <> n.id);

SELECT count(*), sum(n.id) FROM nums n WHERE NOT EXISTS (SELECT 1 FROM nums m WHERE m.a = n.b AND m.id > n.id);

SELECT count(*), sum(n.id) FROM nums n WHERE n.a IN (SELECT b FROM nums WHERE id % 5 = 0);

SELECT count(*), sum(n.id) FROM nums n WHERE n.a NOT IN (SELECT b FROM nums WHERE id % 5 = 0);

SELECT count(*), sum(n.id) FROM nums n WHERE n.a NOT IN (SELECT b FROM nums WHERE id % 5 = 0 AND b IS NOT NULL);

SELECT n.id % 4, count(*) FILTER (WHERE n.a IN (SELECT a FROM nums WHERE id < 100)) FROM nums n GROUP BY 1;

SELECT count(*), sum(f.quantity) FROM fact_sales f JOIN dim_customer c ON f.customer_key = c.customer_key WHERE c.region = 'Nowhere';

SELECT count(*), count(c.customer_key) FROM fact_sales f LEFT JOIN (SELECT * FROM dim_customer WHERE region = 'Nowhere') c ON f.customer_key = c.customer_key;

SELECT count(*) FROM fact_sales f WHERE NOT EXISTS (SELECT 1 FROM dim_customer c WHERE c.customer_key = f.customer_key AND c.region = 'Nowhere');

SELECT count(*), sum(f.amount) FROM fact_sales f WHERE f.customer_key NOT IN (SELECT customer_key FROM dim_customer WHERE region = 'Nowhere');

SELECT c.customer_key, count(f.sale_id) FROM dim_customer c LEFT JOIN fact_sales f ON c.customer_key = f.customer_key GROUP BY 1;

SELECT cnt, count(*) FROM (SELECT c.customer_key, count(f.sale_id) AS cnt FROM dim_customer c LEFT JOIN fact_sales f ON c.customer_key = f.customer_key AND f.quantity > 7 GROUP BY 1) t GROUP BY 1;

SELECT s.s, count(*) FROM strs s JOIN strs t ON s.s = t.s GROUP BY 1;

SELECT count(*), count(t.id) FROM strs s LEFT JOIN strs t ON s.s = t.t AND s.id <> t.id;

SELECT e.kind, count(*) FROM events e JOIN events g ON e.d = g.d AND e.kind = g.kind GROUP BY 1;

SELECT count(*) FROM fact_sales f JOIN fact_sales g ON f.sale_date = g.sale_date AND f.customer_key = g.customer_key AND f.sale_id <> g.sale_id;

SELECT n.id, m.id FROM nums n JOIN nums m ON n.a = m.b AND n.b = m.a WHERE n.id < 200 ORDER BY 1, 2;
