SELECT id, concat_ws(', ', s, t) FROM strs;

SELECT id, concat_ws('-', s, id, t, NULL) FROM strs WHERE id < 50;

SELECT concat_ws(NULL, 'a', 'b');

SELECT DISTINCT ON (kind) kind, id, amount FROM events ORDER BY kind, amount DESC, id;

SELECT DISTINCT ON (a % 5) a % 5 AS k, id, x FROM nums WHERE a IS NOT NULL ORDER BY 1, x DESC NULLS LAST, id;

SELECT DISTINCT ON (region, segment) region, segment, name FROM dim_customer ORDER BY region, segment, customer_key DESC;

SELECT kind, id FROM events WHERE id < 40 ORDER BY ALL;

SELECT kind, id FROM events WHERE id < 40 ORDER BY ALL DESC;

SELECT kind, arg_max(id, amount), arg_min(id, amount) FROM events GROUP BY kind;

SELECT E'tab\there', E'new\nline', E'it''s', E'back\\slash', E'quote\'s';

SELECT id, s ~ 'a', s !~ '^[a-m]', s ~* 'A' FROM strs WHERE s IS NOT NULL;

SELECT id, a // 7, b // -3, c // 1000 FROM nums WHERE a IS NOT NULL AND b IS NOT NULL AND b <> 0;

SELECT d + INTERVAL '1 day', d - INTERVAL '2 days', ts + INTERVAL '3 hours' FROM events WHERE id < 30;

SELECT ts + INTERVAL 90 MINUTE, d + INTERVAL 1 MONTH FROM events WHERE id < 30;

SELECT * FROM generate_series(DATE '2024-01-01', DATE '2024-03-01', INTERVAL '1' DAY);

SELECT * FROM generate_series(DATE '2024-01-15', DATE '2025-01-01', INTERVAL 1 MONTH);

SELECT * FROM generate_series(TIMESTAMP '2024-03-30 22:00:00', TIMESTAMP '2024-03-31 04:00:00', INTERVAL '30 minutes');

SELECT * FROM range(DATE '2024-01-01', DATE '2024-01-08', INTERVAL '2' DAY);

SELECT c.day, count(e.id) FROM generate_series(DATE '2024-01-01', DATE '2024-01-31', INTERVAL 1 DAY) c(day) LEFT JOIN events e ON e.d = c.day GROUP BY c.day;

SELECT id, d, sum(amount) OVER (ORDER BY d RANGE BETWEEN INTERVAL '7' DAY PRECEDING AND CURRENT ROW) FROM events WHERE id < 300;

SELECT id, count(*) OVER (PARTITION BY kind ORDER BY ts RANGE BETWEEN INTERVAL 12 HOUR PRECEDING AND INTERVAL '30 minutes' FOLLOWING) FROM events WHERE id < 300;

SELECT id, strftime(ts, '%Y-%m-%d %H:%M:%S'), strftime(d, '%d/%m/%y %A %B %j') FROM events WHERE id < 100;

SELECT id, strftime(ts, '%I:%M %p, %a %b %-d') FROM events WHERE id < 100;

SELECT strptime('20/05/2024 14:03:07', '%d/%m/%Y %H:%M:%S'), strptime('May 20, 2024', '%B %d, %Y'), strptime('2024-05-20T01:02:03.250000', '%Y-%m-%dT%H:%M:%S.%f');

SELECT id, format('{} #{}: {}', kind, id, amount), printf('%-8s|%8.2f|%05d', kind, amount, id) FROM events WHERE id < 50 AND amount IS NOT NULL;

SELECT printf('%x %X %o %e %%', 255, 255, 8, 12345.678), format('{{}} {}', 'braces');
