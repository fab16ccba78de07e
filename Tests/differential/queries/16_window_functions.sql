-- Differential queries: window functions. One query per record, records separated by a blank line.

SELECT id, row_number() OVER (ORDER BY id) AS w FROM nums WHERE id < 300;

SELECT id, row_number() OVER (PARTITION BY a % 5 ORDER BY id) AS w FROM nums WHERE id < 300;

SELECT id, rank() OVER (ORDER BY a, id) AS w FROM nums WHERE id < 300;

SELECT id, dense_rank() OVER (ORDER BY a NULLS FIRST) AS w FROM nums WHERE id < 300;

SELECT id, rank() OVER (PARTITION BY b % 3 ORDER BY a NULLS LAST) AS w FROM nums WHERE id < 300;

SELECT id, ntile(4) OVER (ORDER BY id) AS w FROM nums WHERE id < 300;

SELECT id, lag(a) OVER (ORDER BY id) AS w FROM nums WHERE id < 300;

SELECT id, lead(a, 2) OVER (ORDER BY id) AS w FROM nums WHERE id < 300;

SELECT id, lag(a, 1, -1) OVER (PARTITION BY b % 2 ORDER BY id) AS w FROM nums WHERE id < 300;

SELECT id, first_value(a) OVER (PARTITION BY b % 4 ORDER BY id) AS w FROM nums WHERE id < 300;

SELECT id, last_value(a) OVER (PARTITION BY b % 4 ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS w FROM nums WHERE id < 300;

SELECT id, nth_value(a, 2) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS w FROM nums WHERE id < 300;

SELECT id, sum(a) OVER (ORDER BY id) AS w FROM nums WHERE id < 300;

SELECT id, sum(a) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS w FROM nums WHERE id < 300;

SELECT id, avg(x) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 3 FOLLOWING) AS w FROM nums WHERE id < 300;

SELECT id, count(*) OVER (PARTITION BY a % 3) AS w FROM nums WHERE id < 300;

SELECT id, sum(b) OVER (PARTITION BY a % 3 ORDER BY id ROWS UNBOUNDED PRECEDING) AS w FROM nums WHERE id < 300;

SELECT id, min(a) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 5 FOLLOWING) AS w FROM nums WHERE id < 300;

SELECT id, max(a) OVER (PARTITION BY b % 2) AS w FROM nums WHERE id < 300;

SELECT id, percent_rank() OVER (ORDER BY id) AS w FROM nums WHERE id < 300;

SELECT id, cume_dist() OVER (ORDER BY a % 10, id) AS w FROM nums WHERE id < 300;

SELECT id, sum(a) OVER (ORDER BY a % 10 RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS w FROM nums WHERE id < 300;

SELECT id, count(a) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS w FROM nums WHERE id < 300;

SELECT id, avg(a) OVER () AS w FROM nums WHERE id < 300;

SELECT customer_key, sum(amount), rank() OVER (ORDER BY sum(amount) DESC, customer_key) FROM fact_sales GROUP BY customer_key;

SELECT * FROM (SELECT id, row_number() OVER (PARTITION BY kind ORDER BY amount DESC, id) AS r FROM events) t WHERE r <= 3;

