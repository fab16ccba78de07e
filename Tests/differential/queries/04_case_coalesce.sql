-- Differential queries: case coalesce. One query per record, records separated by a blank line.

SELECT id, CASE WHEN a > 50 THEN 'hi' WHEN a > 20 THEN 'mid' ELSE 'lo' END AS v FROM nums WHERE id % 5 = 0;

SELECT id, CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' END AS v FROM nums WHERE id % 5 = 0;

SELECT id, COALESCE(a, b, -1) AS v FROM nums WHERE id % 5 = 0;

SELECT id, COALESCE(a, 0) + COALESCE(b, 0) AS v FROM nums WHERE id % 5 = 0;

SELECT id, NULLIF(a, 50) AS v FROM nums WHERE id % 5 = 0;

SELECT id, NULLIF(a, b) AS v FROM nums WHERE id % 5 = 0;

SELECT id, CASE WHEN a IS NULL THEN b ELSE a END AS v FROM nums WHERE id % 5 = 0;

SELECT id, CASE WHEN x > 0.5 THEN x ELSE 0 END AS v FROM nums WHERE id % 5 = 0;

SELECT id, COALESCE(NULLIF(a, 0), 1) AS v FROM nums WHERE id % 5 = 0;

SELECT id, CASE WHEN a > b THEN a ELSE b END AS v FROM nums WHERE id % 5 = 0;

SELECT id, CASE WHEN b IS NULL THEN NULL WHEN b > 50 THEN 1 ELSE 0 END AS v FROM nums WHERE id % 5 = 0;

SELECT id, greatest(coalesce(a, -1), coalesce(b, -1)) AS v FROM nums WHERE id % 5 = 0;

SELECT id, least(coalesce(a, 100), coalesce(b, 100)) AS v FROM nums WHERE id % 5 = 0;

SELECT id, CASE WHEN a > 50 THEN 1E0 ELSE a END AS v FROM nums WHERE id % 5 = 0;

SELECT id, COALESCE(CAST(a AS VARCHAR), 'none') AS v FROM nums WHERE id % 5 = 0;

SELECT CASE WHEN a > 50 THEN 'hi' ELSE 'lo' END AS k, count(*) FROM nums GROUP BY 1;

SELECT sum(CASE WHEN a > 50 THEN 1 ELSE 0 END), sum(CASE WHEN b IS NULL THEN 1 END) FROM nums;

SELECT id, COALESCE(s, t, '?') FROM strs;

SELECT id, NULLIF(s, '') FROM strs;

