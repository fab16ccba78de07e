-- ROW (DuckDB: STRUCT) and MAP values with the spellings DuckDB shares with Tarn: struct literals, ROW(…) cast to a
-- STRUCT type, field access (r.x, (r).x, t.r.x, r['x']), MAP(keys, values) and MAP {…}, m[key] (NULL when absent),
-- map_keys / map_values / cardinality / map_from_entries / map_entries, casts to VARCHAR, rows and maps built from
-- table columns, and histogram's counts read by key. DuckDB's element_at on a MAP returns a list and its UNNEST keeps rows whole, so neither is shared
-- (MapRowTests has Trino's answers). Rows and maps compare by their values (keys and field names are not compared).

SELECT {'x': 1, 'y': 'a'} AS s, {'x': 1, 'y': 'a'}.y AS y, {'x': 1}['x'] AS z, {'x': {'y': 2}}.x.y AS deep;

SELECT CAST(ROW(1, 'a') AS STRUCT(x INTEGER, y VARCHAR)) AS r, CAST(ROW(1, 'a') AS STRUCT(x INTEGER, y VARCHAR)).x AS x;

SELECT MAP(['a', 'b'], [1, 2]) AS m, MAP(['a', 'b'], [1, 2])['a'] AS v, MAP(['a'], [1])['zz'] AS missing, map_keys(MAP(['a', 'b'], [1, 2])) AS k, map_values(MAP(['a', 'b'], [1, 2])) AS vs, cardinality(MAP(['a', 'b'], [1, 2])) AS c;

SELECT MAP {'a': 1, 'b': 2}['b'] AS v, map_from_entries([ROW('x', 1), ROW('y', 2)])['y'] AS f, map_entries(MAP(['a'], [1])) AS e;

SELECT CAST({'a': 1, 'b': 'x'} AS VARCHAR) AS s, CAST(MAP(['a', 'b'], [1, 2]) AS VARCHAR) AS m, [{'a': 1}, {'a': 2}][2].a AS second;

SELECT r.a, (r).b, t.r.a + 1 AS next FROM (SELECT {'a': 1, 'b': 'x'} AS r) t;

SELECT id, {'id': id, 'kind': kind} AS r, {'id': id, 'kind': kind}.kind AS k FROM events WHERE id <= 30 ORDER BY id;

SELECT id, MAP([kind], [amount]) AS m, MAP([kind], [amount])[kind] AS own, MAP([kind], [amount])['zzz'] AS other FROM events WHERE id <= 30 ORDER BY id;

SELECT s.r.k, count(*) AS n FROM (SELECT {'k': kind, 'a': amount} AS r FROM events) s GROUP BY s.r.k ORDER BY s.r.k;

SELECT id, string_split(t, ' ') AS words, {'first': string_split(t, ' ')[1], 'n': len(string_split(t, ' '))} AS summary FROM strs WHERE id <= 40 ORDER BY id;

SELECT kind, histogram(id % 3)[0] AS zeros, histogram(id % 3)[2] AS twos, cardinality(histogram(id % 5)) AS distinct_fives FROM events GROUP BY kind ORDER BY kind;

SELECT kind, histogram(CAST(amount > 50 AS VARCHAR))['true'] AS big FROM events GROUP BY kind ORDER BY kind;
