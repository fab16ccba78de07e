-- Arrays compared, sorted, grouped, deduplicated and joined on, lexicographically as DuckDB's lists (a prefix first,
-- a NULL element after every value and equal to another NULL; a NULL array compares as NULL); then LATERAL subqueries
-- in FROM (comma, CROSS JOIN, JOIN … ON, LEFT JOIN … ON TRUE), correlated to the row before them.

SELECT [1, 2] < [1, 3] AS a, [1, 2] < [1, 2, 0] AS b, [NULL] = [NULL] AS c, [1, NULL] < [1, 2] AS d, [2] > [1, 5] AS e, [] < [1] AS f, CAST(NULL AS INTEGER[]) = [1] AS g, ['b'] > ['a', 'z'] AS h;

SELECT [[1], [2]] < [[1], [2, 0]] AS nested, [1.5, -2.0] <= [1.5, -1.0] AS doubles, [-5] < [3] AS negative, [1] IN ([2], [1]) AS in_list, [1, 2] <> [1, 2] AS ne, [1] IS DISTINCT FROM NULL AS distinct_null, [DATE '2024-01-02'] > [DATE '2024-01-01'] AS dates;

SELECT string_split(t, ' ') AS words, count(*) AS n FROM strs GROUP BY string_split(t, ' ') ORDER BY words NULLS LAST LIMIT 40;

SELECT DISTINCT [a % 3, b % 2] AS k FROM nums ORDER BY k;

SELECT [a % 2] AS k FROM nums WHERE id <= 50 UNION SELECT [b % 3] FROM nums WHERE id <= 50 ORDER BY k;

SELECT id, string_split(t, ' ') AS words FROM strs WHERE t IS NOT NULL AND id <= 100 ORDER BY string_split(t, ' ') DESC, id LIMIT 30;

SELECT x.id, y.id AS other FROM strs x JOIN strs y ON string_split(x.t, ' ') = string_split(y.t, ' ') AND x.id < y.id WHERE x.id <= 60 ORDER BY x.id, other;

SELECT kind, array_agg(id ORDER BY id)[1:2] AS first_ids, count(*) AS n FROM events GROUP BY kind HAVING array_agg(id ORDER BY id)[1:2] > [1] ORDER BY first_ids;

SELECT count(DISTINCT [a % 5, b % 5]) AS pairs, count(DISTINCT string_split(t, ' ')) AS word_lists FROM nums, (SELECT t FROM strs WHERE id <= 3) s;

SELECT id, row_number() OVER (PARTITION BY [a % 2] ORDER BY [b, id]) AS rn FROM nums WHERE id <= 40 ORDER BY id;

SELECT list_sort([[3, 1], [1, 2], [1], []]) AS sorted_lists, list_distinct([[1], [1], [2]]) IS NOT NULL AS kept;

SELECT c.customer_key, top.amount FROM dim_customer c, LATERAL (SELECT f.amount FROM fact_sales f WHERE f.customer_key = c.customer_key ORDER BY f.amount DESC, f.sale_id LIMIT 2) top WHERE c.customer_key <= 40 ORDER BY c.customer_key, top.amount DESC;

SELECT c.region, s.n, s.total FROM (SELECT DISTINCT region FROM dim_customer) c CROSS JOIN LATERAL (SELECT count(*) AS n, round(sum(f.amount), 2) AS total FROM fact_sales f JOIN dim_customer d ON d.customer_key = f.customer_key WHERE d.region = c.region) s ORDER BY c.region;

SELECT p.product_key, s.sale_id FROM dim_product p LEFT JOIN LATERAL (SELECT sale_id FROM fact_sales f WHERE f.product_key = p.product_key AND f.quantity = 10 AND f.amount > 990) s ON TRUE ORDER BY p.product_key, s.sale_id;

SELECT n.id, w.k, w.doubled FROM nums n, LATERAL (SELECT n.a * 2 AS doubled, n.id % 3 AS k) w WHERE n.id <= 30 ORDER BY n.id;

SELECT e.kind, x.id FROM (SELECT DISTINCT kind FROM events) e JOIN LATERAL (SELECT id, amount FROM events i WHERE i.kind = e.kind ORDER BY amount DESC, id LIMIT 3) x ON x.amount > 99 ORDER BY e.kind, x.id;

SELECT s.id, w.word FROM strs s, LATERAL (SELECT u.w AS word FROM unnest(string_split(s.t, ' ')) AS u(w) WHERE u.w <> '' ORDER BY u.w LIMIT 1) w WHERE s.id <= 50 ORDER BY s.id;
