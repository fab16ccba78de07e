-- Differential queries: math functions. One query per record, records separated by a blank line.

SELECT id, abs(x - 0.5) AS v FROM nums WHERE id % 10 = 7;

SELECT id, round(x, 2) AS v FROM nums WHERE id % 10 = 7;

SELECT id, round(x * 100) AS v FROM nums WHERE id % 10 = 7;

SELECT id, ceil(x * 10) AS v FROM nums WHERE id % 10 = 7;

SELECT id, floor(x * 10) AS v FROM nums WHERE id % 10 = 7;

SELECT id, sqrt(x) AS v FROM nums WHERE id % 10 = 7;

SELECT id, power(x, 2) AS v FROM nums WHERE id % 10 = 7;

SELECT id, ln(x + 1) AS v FROM nums WHERE id % 10 = 7;

SELECT id, exp(x) AS v FROM nums WHERE id % 10 = 7;

SELECT id, sign(a - 50) AS v FROM nums WHERE id % 10 = 7;

SELECT id, mod(a, 7) AS v FROM nums WHERE id % 10 = 7;

SELECT id, round(y, 1) AS v FROM nums WHERE id % 10 = 7;

SELECT id, floor(-x * 10) AS v FROM nums WHERE id % 10 = 7;

SELECT id, ceil(-x * 10) AS v FROM nums WHERE id % 10 = 7;

SELECT id, abs(a - b) AS v FROM nums WHERE id % 10 = 7;

SELECT id, sqrt(a) AS v FROM nums WHERE id % 10 = 7;

