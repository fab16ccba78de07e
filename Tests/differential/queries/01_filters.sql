-- Differential queries: filters. One query per record, records separated by a blank line.

SELECT id, a, b FROM nums WHERE a > 50;

SELECT id, a, b FROM nums WHERE a >= 50 AND b < 20;

SELECT id, a, b FROM nums WHERE a < 10 OR b > 90;

SELECT id, a, b FROM nums WHERE NOT (a > 50);

SELECT id, a, b FROM nums WHERE a BETWEEN 10 AND 20;

SELECT id, a, b FROM nums WHERE a NOT BETWEEN 10 AND 90;

SELECT id, a, b FROM nums WHERE a IN (1, 2, 3, 5, 8, 13);

SELECT id, a, b FROM nums WHERE a NOT IN (1, 2, 3);

SELECT id, a, b FROM nums WHERE b = a;

SELECT id, a, b FROM nums WHERE b <> a;

SELECT id, a, b FROM nums WHERE x > 0.5;

SELECT id, a, b FROM nums WHERE x <= y;

SELECT id, a, b FROM nums WHERE c > 1000000000;

SELECT id, a, b FROM nums WHERE a + b > 100;

SELECT id, a, b FROM nums WHERE a * 2 = b;

SELECT id, a, b FROM nums WHERE a % 7 = 3;

SELECT id, a, b FROM nums WHERE x BETWEEN 0.25 AND 0.75;

SELECT id, a, b FROM nums WHERE a > 10 AND a < 20 AND b IS NOT NULL;

SELECT id, a, b FROM nums WHERE (a > 90 OR b > 90) AND x < 0.5;

SELECT id, a, b FROM nums WHERE id < 100 AND NOT (b IS NULL);

SELECT count(*) FROM nums WHERE a > b;

SELECT count(*) FROM strs WHERE s LIKE 'a%';

SELECT id, s FROM strs WHERE s LIKE '%b_';

SELECT id FROM strs WHERE s NOT LIKE '%a%';

SELECT id FROM strs WHERE s = '';

SELECT id, kind FROM events WHERE kind IN ('click', 'view') AND amount > 50;

SELECT id FROM events WHERE d >= DATE '2024-03-01' AND d < DATE '2024-04-01';

SELECT id FROM events WHERE ts > TIMESTAMP '2024-06-01 12:00:00';

SELECT id, s FROM strs WHERE s > 'm';

SELECT id FROM nums WHERE a IS DISTINCT FROM b;

