-- Quantified comparisons x op ANY | SOME | ALL (subquery): empty subqueries, NULLs on either side, correlation.
SELECT id, a, a = ANY (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a = ANY (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a = ANY (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a = ANY (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a = ALL (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a = ALL (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a = ALL (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a = ALL (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a <> ANY (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a <> ANY (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a <> ANY (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a <> ANY (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a <> ALL (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a <> ALL (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a <> ALL (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a <> ALL (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a < ANY (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a < ANY (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a < ANY (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a < ANY (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a < ALL (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a < ALL (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a < ALL (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a < ALL (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a <= ANY (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a <= ANY (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a <= ANY (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a <= ANY (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a <= ALL (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a <= ALL (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a <= ALL (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a <= ALL (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a > ANY (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a > ANY (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a > ANY (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a > ANY (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a > ALL (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a > ALL (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a > ALL (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a > ALL (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a >= ANY (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a >= ANY (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a >= ANY (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a >= ANY (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;

SELECT id, a, a >= ALL (SELECT b FROM nums WHERE id < 40) FROM nums WHERE id < 25;

SELECT id, a, a >= ALL (SELECT b FROM nums WHERE id BETWEEN 30 AND 60) FROM nums WHERE id < 25;

SELECT id, a, a >= ALL (SELECT b FROM nums WHERE id < 0) FROM nums WHERE id < 25;

SELECT id, a, a >= ALL (SELECT CAST(NULL AS INTEGER)) FROM nums WHERE id < 25;


-- SOME is ANY; in WHERE, under NOT, correlated, and against a literal.
SELECT count(*) FROM nums WHERE a > SOME (SELECT b FROM nums WHERE id < 10);

SELECT count(*) FROM nums WHERE NOT (a >= ALL (SELECT b FROM nums WHERE id BETWEEN 30 AND 60));

SELECT id FROM nums n WHERE a > ALL (SELECT b FROM nums m WHERE m.id < n.id AND m.id > n.id - 5);

SELECT id FROM nums n WHERE a = ANY (SELECT b FROM nums m WHERE m.id = n.id + 1);

SELECT id FROM nums n WHERE a <> ALL (SELECT b FROM nums m WHERE m.id BETWEEN n.id - 3 AND n.id + 3);

SELECT 50 < ALL (SELECT a FROM nums WHERE a > 60), 50 < ANY ((SELECT a FROM nums WHERE a < 10)), NULL = ALL (SELECT a FROM nums WHERE id < 0);

SELECT s FROM strs WHERE s >= ALL (SELECT s FROM strs WHERE s IS NOT NULL);
