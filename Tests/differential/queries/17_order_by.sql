-- Differential queries: order by. One query per record, records separated by a blank line.

SELECT id, a FROM nums WHERE id < 120 ORDER BY a NULLS FIRST, id;

SELECT id, a FROM nums WHERE id < 120 ORDER BY a NULLS LAST, id;

SELECT id, a FROM nums WHERE id < 120 ORDER BY a DESC NULLS FIRST, id;

SELECT id, a FROM nums WHERE id < 120 ORDER BY a DESC NULLS LAST, id;

SELECT id, a FROM nums WHERE id < 120 ORDER BY b, a, id;

SELECT id, a FROM nums WHERE id < 120 ORDER BY x DESC, id;

SELECT id, a FROM nums WHERE id < 120 ORDER BY 2, 1;

SELECT id, a FROM nums WHERE id < 120 ORDER BY a + b, id;

SELECT id, a FROM nums WHERE id < 120 ORDER BY CASE WHEN a IS NULL THEN 0 ELSE 1 END, a, id;

SELECT s, id FROM strs ORDER BY s NULLS FIRST, id;

SELECT kind, sum(amount) AS t FROM events GROUP BY kind ORDER BY t DESC;

SELECT id, d FROM events ORDER BY d, id;

SELECT id, ts FROM events ORDER BY ts DESC, id;


SELECT kind, id FROM events WHERE id < 200 ORDER BY kind, id DESC;

SELECT a % 3 AS k, b, id FROM nums WHERE id < 200 ORDER BY k DESC, b NULLS FIRST, id;
