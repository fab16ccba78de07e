-- Differential queries: distinct. One query per record, records separated by a blank line.

SELECT DISTINCT a % 10 FROM nums;

SELECT DISTINCT a % 3, b % 3 FROM nums;

SELECT DISTINCT s FROM strs;

SELECT DISTINCT kind FROM events;

SELECT count(DISTINCT kind) FROM events;

SELECT DISTINCT b IS NULL FROM nums;

SELECT DISTINCT region FROM dim_customer ORDER BY region;

SELECT count(*) FROM (SELECT DISTINCT a, b FROM nums) t;

SELECT DISTINCT month(d) FROM events;

SELECT DISTINCT CASE WHEN a > 50 THEN 'x' ELSE 'y' END FROM nums;


SELECT a % 5, count(DISTINCT b), count(DISTINCT c % 7), sum(DISTINCT b), min(DISTINCT x), max(DISTINCT c % 7) FROM nums GROUP BY 1;

SELECT b % 3, count(DISTINCT a), avg(DISTINCT a), count(DISTINCT y > 0) FROM nums GROUP BY 1;
