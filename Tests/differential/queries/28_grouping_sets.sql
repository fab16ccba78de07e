SELECT kind, d, count(*), sum(amount) FROM events WHERE id < 300 GROUP BY ROLLUP (kind, d);

SELECT a % 3 AS x, b % 2 AS y, count(*), min(id) FROM nums GROUP BY CUBE (a % 3, b % 2);

SELECT region, segment, count(*) FROM dim_customer GROUP BY GROUPING SETS ((region, segment), (region), ());

SELECT region, segment, count(*), grouping(region), grouping(segment), grouping(region, segment) FROM dim_customer GROUP BY CUBE (region, segment);

SELECT kind, sum(amount) AS total FROM events GROUP BY ROLLUP (kind) HAVING sum(amount) > 100 OR grouping(kind) = 1;

SELECT region, product_key % 4 AS bucket, sum(amount) FROM fact_sales JOIN dim_customer USING (customer_key) GROUP BY region, ROLLUP (product_key % 4);

SELECT kind, count(*) FROM events WHERE id < 0 GROUP BY GROUPING SETS ((kind), ());

SELECT CASE WHEN grouping(kind) = 1 THEN 'all' ELSE kind END AS k, count(*) FROM events GROUP BY ROLLUP (kind) ORDER BY k;
