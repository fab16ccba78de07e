SELECT kind, string_agg(CAST(id AS VARCHAR), ',' ORDER BY id) FROM events WHERE id < 200 GROUP BY kind;

SELECT kind, string_agg(CAST(id AS VARCHAR), ',' ORDER BY amount DESC, id) FROM events WHERE id < 200 GROUP BY kind;

SELECT string_agg(s, '|' ORDER BY s) FROM strs WHERE s IS NOT NULL;

SELECT kind, string_agg(CAST(id AS VARCHAR), ';' ORDER BY id DESC) FROM events WHERE id < 200 GROUP BY kind;

SELECT kind, percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) FROM events GROUP BY kind;

SELECT kind, percentile_cont(0.9) WITHIN GROUP (ORDER BY amount DESC), percentile_cont(0.1) WITHIN GROUP (ORDER BY amount) FROM events GROUP BY kind;

SELECT a % 5, percentile_cont(0.25) WITHIN GROUP (ORDER BY x) FROM nums GROUP BY a % 5;

SELECT a % 3, sum(b ORDER BY id), count(*) FROM nums GROUP BY a % 3;
