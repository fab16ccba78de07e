-- PIVOT / UNPIVOT in the Databricks / DuckDB FROM-clause syntax and DuckDB's PIVOT / UNPIVOT statements.

SELECT * FROM (SELECT kind, month(d) AS m, amount FROM events) PIVOT (sum(amount) FOR kind IN ('click', 'view', 'purchase', 'signup'));

SELECT * FROM (SELECT kind, month(d) AS m, amount FROM events) PIVOT (sum(amount) AS total, count(*) AS n FOR kind IN ('click' AS c, 'view' AS v));

SELECT * FROM (SELECT kind, quarter(d) AS q, amount, id FROM events) PIVOT (max(amount), count(id) FOR q IN (1, 2, 3, 4));

SELECT * FROM (SELECT kind, quarter(d) AS q, amount FROM events) PIVOT (count(*) FOR (kind, q) IN (('click', 1) AS c1, ('view', 2) AS v2, ('signup', 4)));

SELECT * FROM (SELECT kind, quarter(d) AS q, amount FROM events) PIVOT (round(avg(amount), 2) FOR q IN (1, 2, 3, 4) GROUP BY kind) p ORDER BY p.kind;

PIVOT (SELECT kind, quarter(d) AS q, amount FROM events) ON q USING sum(amount) GROUP BY kind;

PIVOT (SELECT kind, quarter(d) AS q, amount FROM events) ON kind USING count(*) AS n, sum(amount) AS s GROUP BY q ORDER BY q;

PIVOT (SELECT kind, quarter(d) AS q, amount FROM events) ON kind, q USING count(*);

PIVOT (SELECT kind, quarter(d) AS q, amount FROM events) ON q IN (1, 3) USING min(amount) GROUP BY kind;

PIVOT (SELECT p.category, c.region, f.quantity FROM fact_sales f JOIN dim_product p USING (product_key) JOIN dim_customer c USING (customer_key)) ON region USING sum(quantity) GROUP BY category;

SELECT * FROM nums UNPIVOT (v FOR col IN (a, b)) WHERE id < 50;

SELECT * FROM nums UNPIVOT INCLUDE NULLS (v FOR col IN (a AS 'first', b AS 'second')) WHERE id < 50;

SELECT col, count(*), sum(v) FROM nums UNPIVOT (v FOR col IN (a, b)) GROUP BY col;

UNPIVOT (SELECT id, a, b FROM nums WHERE id < 40) ON a, b INTO NAME col VALUE v ORDER BY id, col;

SELECT * FROM (SELECT id, x, y FROM nums WHERE id < 30) UNPIVOT (val FOR which IN (x, y)) AS u WHERE u.val > 0;
