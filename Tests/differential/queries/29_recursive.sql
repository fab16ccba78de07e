WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 100) SELECT sum(n), count(*) FROM r;

WITH RECURSIVE fib(i, a, b) AS (SELECT 1, CAST(0 AS BIGINT), CAST(1 AS BIGINT) UNION ALL SELECT i + 1, b, a + b FROM fib WHERE i < 60) SELECT * FROM fib;

WITH RECURSIVE edges(src, dst) AS (SELECT id, id * 2 FROM nums WHERE id < 400 UNION ALL SELECT id, id + 7 FROM nums WHERE id < 400), reach(node) AS (SELECT 1 UNION SELECT dst FROM edges JOIN reach ON edges.src = reach.node) SELECT node FROM reach;

WITH RECURSIVE days(d) AS (SELECT DATE '2024-01-01' UNION ALL SELECT d + INTERVAL 1 DAY FROM days WHERE d < DATE '2024-01-31') SELECT count(*), min(d), max(d) FROM days;

WITH RECURSIVE chain(id, depth) AS (SELECT customer_key, 0 FROM dim_customer WHERE customer_key = 1 UNION ALL SELECT c.customer_key, chain.depth + 1 FROM dim_customer c JOIN chain ON c.customer_key = chain.id + 1 WHERE chain.depth < 20) SELECT * FROM chain;

WITH RECURSIVE s(x) AS (SELECT 1 UNION SELECT x % 5 + 1 FROM s) SELECT x FROM s;
