-- ARRAY values with the spellings DuckDB shares with Trino / Tarn: literals, subscripts and slices, list functions,
-- array_agg, UNNEST in FROM (alone and correlated to each row) and in the select list. DuckDB prints lists as [1, 2, 3].

SELECT ARRAY[1, 2, 3] AS a, [1, 2][3] AS b, [1, 2, 3][2:3] AS c, [1, 2, 3][-1] AS d, len([1, 2]) AS e, array_length([1, 2, 3]) AS f;

SELECT [1, 2, 3][0] AS zero, list_extract([1, 2, 3], 2) AS second, [10, 20, 30, 40][:2] AS head, [10, 20, 30, 40][3:] AS tail, list_slice([1, 2, 3, 4], -2, -1) AS last_two;

SELECT list_contains([1, 2, NULL], 3) AS c1, list_contains(['a', 'b'], 'b') AS c2, list_position([1, 2, 3], 3) AS p1, list_position([1, 2], 5) AS p2;

SELECT array_to_string(['a', NULL, 'c'], '-') AS joined, flatten([[1, 2], [3], []]) AS flat, list_concat([1], [2, 3]) AS cat, [1] || [2] AS op, list_concat(NULL, [1]) AS null_cat;

SELECT string_split('a,b,,c', ',') AS parts, regexp_extract_all('a1b22c333', '[0-9]+') AS digits, regexp_split_to_array('a1b2c', '[0-9]') AS words, string_split('abc', '') AS chars;

SELECT CAST([1, 2] AS VARCHAR) AS ints, CAST(['a', 'b'] AS VARCHAR) AS strs, [[1], [2, 3]] AS nested, list_value(1, 2) AS built, list_sort([3, 1, 2]) AS sorted, list_max([1, NULL, 3]) AS mx, list_min([2, 1]) AS mn;

SELECT id, string_split(t, ' ') AS words, len(string_split(t, ' ')) AS n FROM strs WHERE id <= 60 ORDER BY id;

SELECT id, string_split(t, ' ')[1] AS first_word, list_contains(string_split(t, ' '), 'apple') AS has_apple FROM strs WHERE t IS NOT NULL AND id <= 200 ORDER BY id;

SELECT kind, array_agg(id ORDER BY id) AS ids FROM events WHERE id <= 40 GROUP BY kind ORDER BY kind;

SELECT kind, len(array_agg(amount ORDER BY amount DESC)) AS n, array_agg(amount ORDER BY amount DESC)[1] AS top FROM events GROUP BY kind ORDER BY kind;

SELECT * FROM unnest([1, 2, 3]) AS t(x);

SELECT s.id, u.w FROM strs s, unnest(string_split(s.t, ' ')) AS u(w) WHERE s.id <= 30 ORDER BY s.id, u.w;

SELECT s.id, u.w FROM strs s CROSS JOIN unnest(string_split(s.t, ' ')) AS u(w) WHERE s.id <= 30 AND u.w <> '' ORDER BY s.id, u.w;

SELECT u.w, count(*) AS n FROM strs s CROSS JOIN unnest(string_split(s.t, ' ')) AS u(w) GROUP BY u.w ORDER BY n DESC, u.w LIMIT 10;

SELECT id, unnest(string_split(t, ' ')) AS w FROM strs WHERE id <= 20 ORDER BY id, w;

SELECT unnest([1, 2]) AS x, unnest(['a', 'b', 'c']) AS y;

SELECT k, sum(x) AS total FROM (SELECT id % 3 AS k, unnest([a, b]) AS x FROM nums WHERE id <= 300) GROUP BY k ORDER BY k;

SELECT d.category, array_agg(d.product_key ORDER BY d.product_key)[1:3] AS first_three FROM dim_product d GROUP BY d.category ORDER BY d.category;

SELECT CAST('[1, 2, NULL]' AS INTEGER[]) AS a, CAST('[[1], [2, 3]]' AS BIGINT[][]) AS b, TRY_CAST('[1, 2' AS INTEGER[]) AS c, CAST('[]' AS INTEGER[]) AS d;

SELECT id, (SELECT count(*) FROM unnest(string_split(s.t, ' ')) AS u(w) WHERE w <> '') AS words, EXISTS (SELECT 1 FROM unnest(string_split(s.t, ' ')) AS u(w) WHERE w = 'apple') AS has_apple FROM strs s WHERE id <= 80 ORDER BY id;
