-- Differential queries: limit offset. One query per record, records separated by a blank line.

SELECT id FROM nums ORDER BY id LIMIT 5;

SELECT id FROM nums ORDER BY id LIMIT 5 OFFSET 10;

SELECT id FROM nums ORDER BY id OFFSET 1995;

SELECT id, a FROM nums ORDER BY a DESC NULLS LAST, id LIMIT 7;

SELECT count(*) FROM (SELECT id FROM nums LIMIT 100) t;

SELECT id FROM nums ORDER BY id LIMIT 0;

SELECT kind, count(*) FROM events GROUP BY kind ORDER BY 2 DESC, 1 LIMIT 2;

SELECT id FROM nums ORDER BY x, id LIMIT 3 OFFSET 3;

