-- Differential queries: null logic. One query per record, records separated by a blank line.

SELECT id FROM nums WHERE a IS NULL;

SELECT id FROM nums WHERE a IS NOT NULL;

SELECT id FROM nums WHERE a = NULL;

SELECT id FROM nums WHERE a <> b;

SELECT id FROM nums WHERE NOT (a > 50);

SELECT id FROM nums WHERE a > 50 OR b > 50;

SELECT id FROM nums WHERE a > 50 AND b > 50;

SELECT id FROM nums WHERE a IS NULL OR b IS NULL;

SELECT id FROM nums WHERE a IS NOT DISTINCT FROM b;

SELECT id FROM nums WHERE a IN (1, NULL, 3);

SELECT id FROM nums WHERE a NOT IN (1, NULL);

SELECT id FROM nums WHERE NOT (a IS NULL);

SELECT id, a > 50 OR b > 50 AS v FROM nums WHERE id < 200;

SELECT id, a > 50 AND b > 50 AS v FROM nums WHERE id < 200;

SELECT id, NOT (a > 50) AS v FROM nums WHERE id < 200;

SELECT id, a IS DISTINCT FROM b AS v FROM nums WHERE id < 200;

SELECT id, a IN (1, NULL, 3) AS v FROM nums WHERE id < 200;

SELECT id, a = b AS v FROM nums WHERE id < 200;

SELECT count(a), count(b), count(*) FROM nums;

SELECT sum(a) FROM nums WHERE a IS NULL;

SELECT NULL IS NULL, NULL = NULL, 1 = NULL;

SELECT id, a + b FROM nums WHERE id < 100;

SELECT count(*) FROM nums WHERE (a > 50) IS NULL;

SELECT id, s IS NULL, t IS NULL FROM strs;

