-- Differential queries: date functions. One query per record, records separated by a blank line.

SELECT id, year(d) AS v FROM events WHERE id % 7 = 0;

SELECT id, month(d) AS v FROM events WHERE id % 7 = 0;

SELECT id, day(d) AS v FROM events WHERE id % 7 = 0;

SELECT id, quarter(d) AS v FROM events WHERE id % 7 = 0;

SELECT id, extract(year FROM d) AS v FROM events WHERE id % 7 = 0;

SELECT id, extract(month FROM ts) AS v FROM events WHERE id % 7 = 0;

SELECT id, extract(hour FROM ts) AS v FROM events WHERE id % 7 = 0;

SELECT id, date_trunc('month', d) AS v FROM events WHERE id % 7 = 0;

SELECT id, date_trunc('year', d) AS v FROM events WHERE id % 7 = 0;

SELECT id, date_diff('day', DATE '2024-01-01', d) AS v FROM events WHERE id % 7 = 0;

SELECT id, date_trunc('day', ts) AS v FROM events WHERE id % 7 = 0;

SELECT id, d + INTERVAL '3' DAY AS v FROM events WHERE id % 7 = 0;

SELECT id, CAST(ts AS DATE) AS v FROM events WHERE id % 7 = 0;

SELECT id, d < DATE '2024-06-01' AS v FROM events WHERE id % 7 = 0;

SELECT id, date_diff('month', DATE '2024-01-01', d) AS v FROM events WHERE id % 7 = 0;

SELECT month(d), count(*) FROM events GROUP BY 1;

SELECT min(d), max(d), min(ts), max(ts) FROM events;

SELECT date_trunc('month', d) AS m, sum(amount) FROM events GROUP BY 1;

