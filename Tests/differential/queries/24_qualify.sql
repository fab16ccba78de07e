SELECT id, kind, row_number() OVER (PARTITION BY kind ORDER BY amount DESC, id) AS r FROM events QUALIFY r <= 3;

SELECT id, a, rank() OVER (PARTITION BY a % 5 ORDER BY id) AS rk FROM nums WHERE id < 300 QUALIFY rk = 1;

SELECT id, kind FROM events QUALIFY row_number() OVER (PARTITION BY kind ORDER BY amount, id) <= 2;

SELECT kind, sum(amount) AS total FROM events GROUP BY kind QUALIFY row_number() OVER (ORDER BY total DESC) = 1;

SELECT id, a AS a2 FROM nums WHERE id < 300 QUALIFY a2 = max(a2) OVER ();

SELECT id, b, dense_rank() OVER (ORDER BY b) AS dr FROM nums WHERE id < 300 QUALIFY dr BETWEEN 2 AND 4 AND id % 2 = 0;

SELECT customer_key, sum(amount) AS spent, rank() OVER (ORDER BY sum(amount) DESC, customer_key) AS place FROM fact_sales GROUP BY customer_key QUALIFY place <= 5;
