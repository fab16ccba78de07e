-- Differential queries: arithmetic. One query per record, records separated by a blank line.

SELECT id, a + b AS v FROM nums WHERE id % 10 = 1;

SELECT id, a - b AS v FROM nums WHERE id % 10 = 1;

SELECT id, a * b AS v FROM nums WHERE id % 10 = 1;

SELECT id, a / 7 AS v FROM nums WHERE id % 10 = 1;

SELECT id, a % 7 AS v FROM nums WHERE id % 10 = 1;

SELECT id, -a AS v FROM nums WHERE id % 10 = 1;

SELECT id, a / 3 * 3 + a % 3 AS v FROM nums WHERE id % 10 = 1;

SELECT id, c + 1 AS v FROM nums WHERE id % 10 = 1;

SELECT id, c * 2 AS v FROM nums WHERE id % 10 = 1;

SELECT id, c / 1000 AS v FROM nums WHERE id % 10 = 1;

SELECT id, x + y AS v FROM nums WHERE id % 10 = 1;

SELECT id, x * y AS v FROM nums WHERE id % 10 = 1;

SELECT id, x / 2 AS v FROM nums WHERE id % 10 = 1;

SELECT id, x - y * 3 AS v FROM nums WHERE id % 10 = 1;

SELECT id, a * x AS v FROM nums WHERE id % 10 = 1;

SELECT id, a + 0.5 AS v FROM nums WHERE id % 10 = 1;

SELECT id, (a + b) * (a - b) AS v FROM nums WHERE id % 10 = 1;

SELECT id, abs(a - 50) AS v FROM nums WHERE id % 10 = 1;

SELECT id, a / 2.0 AS v FROM nums WHERE id % 10 = 1;

SELECT id, c % 1000 AS v FROM nums WHERE id % 10 = 1;

SELECT id, b / 3 AS v FROM nums WHERE id % 10 = 1;

SELECT id, -7 / 2 + a AS v FROM nums WHERE id % 10 = 1;

SELECT id, (-a) % 5 AS v FROM nums WHERE id % 10 = 1;

SELECT id, x * 100 - a AS v FROM nums WHERE id % 10 = 1;

SELECT 7 / 2, -7 / 2, 7 % 3, -7 % 3, 7.0 / 2, 2 * 3 + 4;

SELECT 1E0 / 4, 10 / 4 * 4, 1.5 + 2;

SELECT sum(a * b) FROM nums;

SELECT sum(x * 2) FROM nums;

SELECT max(c) - min(c) FROM nums;

