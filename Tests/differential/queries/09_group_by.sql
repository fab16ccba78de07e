-- Differential queries: group by. One query per record, records separated by a blank line.

SELECT a % 10, count(*) FROM nums GROUP BY a % 10;

SELECT b % 5, count(*) FROM nums GROUP BY b % 5;

SELECT kind, count(*) FROM events GROUP BY kind;

SELECT month(d), count(*) FROM events GROUP BY month(d);

SELECT a % 10, b % 3, count(*) FROM nums GROUP BY a % 10, b % 3;

SELECT a % 10 AS k, sum(b) FROM nums GROUP BY 1;

SELECT a % 10 AS k, b % 2 AS p, avg(x) FROM nums GROUP BY 1, 2;

SELECT a % 10, count(*) FROM nums GROUP BY a % 10 HAVING count(*) > 150;

SELECT b, count(*) FROM nums GROUP BY b HAVING sum(a) > 2000;

SELECT kind, sum(amount) FROM events GROUP BY kind HAVING avg(amount) > 10;

SELECT a % 3, max(x), min(y) FROM nums WHERE a > 10 GROUP BY a % 3;

SELECT count(*) FROM nums GROUP BY a HAVING a IS NULL;

SELECT a IS NULL, count(*) FROM nums GROUP BY 1;

SELECT s, count(*) FROM strs GROUP BY s HAVING count(*) > 1;

SELECT region, segment, count(*) FROM dim_customer GROUP BY region, segment;

SELECT p.category, sum(f.amount) FROM fact_sales f JOIN dim_product p ON f.product_key = p.product_key GROUP BY p.category;

SELECT a % 4 AS k, count(DISTINCT b) FROM nums GROUP BY 1 HAVING count(DISTINCT b) > 10;

SELECT kind, month(d), count(*) FROM events GROUP BY 1, 2;

SELECT sum(a) FROM nums GROUP BY b % 3 HAVING min(a) < 5;

SELECT b % 7 AS k, sum(x) FILTER (WHERE a > 50) FROM nums GROUP BY 1;

