-- Differential queries: GROUP BY over a join that reads one input only through its join keys (CountingJoin: each row
-- of the other input comes out once with its number of matches; count(*) becomes a sum of them). NULL keys, several
-- keys, count(x) with NULLs, FILTER, DISTINCT and min / max, the unread input on either side, and shapes that must
-- not be rewritten (a sum over the repeated rows, no GROUP BY).

SELECT n1.a % 10 AS k, count(*) FROM nums n1 JOIN nums n2 ON n1.b = n2.b GROUP BY 1;

SELECT n2.a % 10 AS k, count(*) FROM nums n1 JOIN nums n2 ON n1.b = n2.b GROUP BY 1;

SELECT n1.a AS k, count(*), count(n1.x), count(n1.b) FILTER (WHERE n1.id % 3 = 0) FROM nums n1 JOIN nums n2 ON n1.b = n2.a GROUP BY 1;

SELECT n1.b % 7 AS k, count(DISTINCT n1.a), min(n1.x), max(n1.id), bool_or(n1.a > 50) FROM nums n1 JOIN nums n2 ON n1.a = n2.b GROUP BY 1;

SELECT e.kind, count(*), min(e.amount) FROM events e JOIN events f ON e.d = f.d AND e.kind = f.kind GROUP BY e.kind;

SELECT e.kind, e.d, count(*) FROM events e JOIN nums n ON e.id = n.a GROUP BY e.kind, e.d;

SELECT upper(e.kind) AS k, count(*) FROM events e JOIN events f ON e.d = f.d GROUP BY 1;

SELECT n1.a % 10 AS k, count(*), sum(n1.x) FROM nums n1 JOIN nums n2 ON n1.b = n2.b GROUP BY 1;

SELECT count(*) FROM nums n1 JOIN nums n2 ON n1.b = n2.b;

SELECT n1.a % 10 AS k, count(*) FROM nums n1 JOIN nums n2 ON n1.b = n2.b WHERE n2.id < 100 GROUP BY 1;

SELECT n1.a % 10 AS k, count(*) FROM nums n1 JOIN nums n2 ON n1.b = n2.b AND n1.id < n2.id GROUP BY 1;
