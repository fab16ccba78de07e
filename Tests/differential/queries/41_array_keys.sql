-- Arrays compared, sorted, grouped, deduplicated and joined on, lexicographically as DuckDB's lists (a prefix first,
-- a NULL element after every value and equal to another NULL; a NULL array compares as NULL).

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
