-- ROW (DuckDB: STRUCT) and MAP values compared, sorted, grouped, deduplicated, partitioned and joined on, as DuckDB
-- does: rows field by field, a NULL field after every value and equal to another NULL (a NULL row compares as NULL);
-- maps as their entry lists. Tarn orders a map's entries by key first (so maps built in another key order are equal,
-- as in Trino), so the maps here are built in key order, where the two agree. Nested arrays inside rows and rows
-- inside arrays too. Then LEFT JOIN LATERAL with a condition (matching rows, no matches, NULLs) and a RIGHT JOIN of a
-- LATERAL that reads nothing of the left side (DuckDB takes it as a plain join).

SELECT {'x': 1, 'y': 'a'} = {'x': 1, 'y': 'a'} AS eq, {'x': 1, 'y': NULL} = {'x': 1, 'y': NULL} AS null_eq, {'x': 1, 'y': NULL} < {'x': 1, 'y': 'a'} AS null_after, {'x': 2} > {'x': 1} AS gt, ROW(1, 2) < ROW(1, 3) AS row_lt, ROW(1, NULL) IS DISTINCT FROM ROW(1, NULL) AS dist, CAST(NULL AS STRUCT(x INTEGER)) = {'x': 1} AS null_row, {'x': 1} IN ({'x': 2}, {'x': 1}) AS in_list, {'x': 1} <> {'x': 2} AS ne, {'x': [1, NULL]} = {'x': [1, NULL]} AS nested_array, {'x': {'y': 'b'}} >= {'x': {'y': 'a'}} AS nested_row;

SELECT (1, 2) < (1, 3) AS tuple_lt, (1, NULL) = (1, 2) AS tuple_null, (1, 'a') IN ((2, 'b'), (1, 'a')) AS tuple_in, (id, id % 3) AS tuple FROM nums WHERE id <= 3 ORDER BY id;

SELECT MAP {'a': 1, 'b': 2} = MAP {'a': 1, 'b': 2} AS eq, MAP {'a': 1} < MAP {'a': 2} AS lt, MAP {'a': 1, 'b': 2} > MAP {'a': 1} AS longer, MAP {'a': 1} <> MAP {'b': 1} AS ne, MAP(['a'], [CAST(NULL AS INTEGER)]) = MAP(['a'], [CAST(NULL AS INTEGER)]) AS null_value, MAP {'a': 1} IN (MAP {'b': 2}, MAP {'a': 1}) AS in_list, MAP(['a'], [[1, 2]]) < MAP(['a'], [[1, 3]]) AS nested, MAP {'a': 1} IS NOT DISTINCT FROM MAP {'a': 1} AS not_distinct;

SELECT {'a': a % 3, 'b': b % 2} AS r, count(*) AS n FROM nums GROUP BY {'a': a % 3, 'b': b % 2} ORDER BY r;

SELECT DISTINCT {'a': a % 2, 'b': b % 3} AS r FROM nums ORDER BY r DESC;

SELECT MAP(['k', 'v'], [a % 2, b % 2]) AS m, CAST(MAP(['k', 'v'], [a % 2, b % 2]) AS VARCHAR) AS text, count(*) AS n FROM nums GROUP BY MAP(['k', 'v'], [a % 2, b % 2]) ORDER BY m;

SELECT count(DISTINCT {'a': a % 4, 'b': b % 4}) AS rows, count(DISTINCT MAP(['a'], [a % 4])) AS maps, count(DISTINCT [{'a': a % 3}]) AS arrays_of_rows FROM nums;

SELECT x.id, y.id AS other FROM nums x JOIN nums y ON {'a': x.a, 'b': x.b % 5} = {'a': y.a, 'b': y.b % 5} AND x.id < y.id WHERE x.id <= 150 ORDER BY x.id, other;

SELECT x.id, y.id AS other FROM nums x JOIN nums y ON MAP(['k'], [x.b]) = MAP(['k'], [y.b]) AND x.id < y.id WHERE x.id <= 60 AND y.id <= 300 ORDER BY x.id, other;

SELECT {'p': a % 3} AS r FROM nums WHERE id <= 50 UNION SELECT {'p': b % 4} FROM nums WHERE id <= 50 ORDER BY r;

SELECT {'p': a % 3} AS r FROM nums WHERE id <= 80 INTERSECT SELECT {'p': b % 4} FROM nums WHERE id <= 80 ORDER BY r;

SELECT MAP(['p'], [a % 5]) AS m FROM nums WHERE id <= 80 EXCEPT SELECT MAP(['p'], [b % 3]) FROM nums WHERE id <= 80 ORDER BY m;

SELECT id, row_number() OVER (PARTITION BY {'a': a % 2} ORDER BY {'b': b, 'id': id}) AS rn, count(*) OVER (PARTITION BY MAP(['k'], [b % 3])) AS same_map FROM nums WHERE id <= 40 ORDER BY id;

SELECT id, {'w': string_split(t, ' '), 'n': id % 2} AS r FROM strs WHERE id <= 60 ORDER BY r DESC, id;

SELECT {'w': string_split(t, ' ')} AS r, count(*) AS n FROM strs WHERE id <= 300 GROUP BY {'w': string_split(t, ' ')} ORDER BY r NULLS FIRST LIMIT 25;

SELECT id FROM nums WHERE {'a': a} IN (SELECT {'a': b} FROM nums WHERE id <= 30) AND id <= 100 ORDER BY id;

SELECT min({'a': a, 'id': id}) AS lo, max({'a': a, 'id': id}) AS hi, min(MAP(['a'], [a])) AS lo_map FROM nums;

SELECT [{'a': a % 2}] AS arr, count(*) AS n FROM nums GROUP BY [{'a': a % 2}] ORDER BY arr;

SELECT list_sort([{'a': 2}, {'a': 1}, {'a': NULL}]) AS sorted_rows, list_distinct([{'a': 1}, {'a': 1}, {'a': NULL}, {'a': NULL}]) IS NOT NULL AS kept;

SELECT c.customer_key, s.amount FROM dim_customer c LEFT JOIN LATERAL (SELECT f.amount FROM fact_sales f WHERE f.customer_key = c.customer_key ORDER BY f.amount DESC, f.sale_id LIMIT 3) s ON s.amount > 900 WHERE c.customer_key <= 60 ORDER BY c.customer_key, s.amount DESC;

SELECT p.product_key, s.sale_id FROM dim_product p LEFT JOIN LATERAL (SELECT f.sale_id, f.quantity FROM fact_sales f WHERE f.product_key = p.product_key AND f.amount > 900) s ON s.quantity > p.product_key % 7 ORDER BY p.product_key, s.sale_id;

SELECT n.id, w.v FROM nums n LEFT JOIN LATERAL (SELECT n.a + n.b AS v) w ON w.v > 100 WHERE n.id <= 60 ORDER BY n.id;

SELECT c.region, s.n FROM (SELECT DISTINCT region FROM dim_customer) c LEFT JOIN LATERAL (SELECT count(*) AS n FROM dim_customer d WHERE d.region = c.region) s ON s.n > 40 ORDER BY c.region;

SELECT n.id, u.k FROM nums n LEFT JOIN LATERAL (SELECT m.id AS k FROM nums m WHERE m.a = n.b) u ON u.k < n.id AND u.k > n.id - 300 WHERE n.id <= 40 ORDER BY n.id, u.k;

SELECT l.id, s.k FROM (SELECT id FROM nums WHERE id <= 5) l RIGHT JOIN LATERAL (SELECT id AS k FROM nums WHERE id BETWEEN 3 AND 8) s ON s.k = l.id ORDER BY s.k;

SELECT p.product_key, s.one, s.doubled, s.sale_id FROM dim_product p LEFT JOIN LATERAL (SELECT 1 AS one, p.product_key * 2 AS doubled, f.sale_id FROM fact_sales f WHERE f.product_key = p.product_key AND f.amount > 950) s ON TRUE ORDER BY p.product_key, s.sale_id;
