-- min / max over ARRAY values and array_agg(DISTINCT array): arrays order as DuckDB's lists (element by element, a
-- prefix first, a NULL element after every value). Distinct arrays are sorted with list_sort before comparing.

SELECT min(a) AS lo, max(a) AS hi FROM (VALUES ([1, 2]), ([1, 3]), ([0, 9, 9]), ([1, 2, 0]), ([1, NULL]), (NULL)) t(a);

SELECT s.id % 5 AS k, min(string_split(s.t, ' ')) AS lo, max(string_split(s.t, ' ')) AS hi, count(*) AS n
FROM strs s WHERE s.t IS NOT NULL GROUP BY k ORDER BY k;

SELECT kind, min([id % 7, id]) AS lo, max([amount]) AS hi FROM events GROUP BY kind HAVING max([id % 7, id]) > [5] ORDER BY kind;

SELECT max(string_split(t, ' ')) FILTER (WHERE id > 100) AS hi, min([[id % 3], [id]]) AS nested FROM strs;

SELECT kind, list_sort(array_agg(DISTINCT [id % 3, id % 2])) AS pairs, count(DISTINCT [id % 3]) AS n FROM events GROUP BY kind ORDER BY kind;

SELECT list_sort(array_agg(DISTINCT string_split(t, ' '))) AS words FROM strs WHERE id <= 40 AND t IS NOT NULL;
