-- Differential queries: TIMESTAMP WITH TIME ZONE and time zones. One query per record, records separated by a blank line.
-- Each record that needs a zone sets it first (run.py puts DuckDB back to UTC after every record; Tarn starts at UTC).
-- DST edges: Europe/Berlin springs forward 2024-03-31 02:00 → 03:00; America/New_York falls back 2024-11-03 02:00 → 01:00.

SELECT TIMESTAMPTZ '2024-03-10 12:00:00+00' AS a, TIMESTAMPTZ '2024-03-10 12:00:00+02' AS b, TIMESTAMPTZ '2024-03-10 12:00:00-05:30' AS c;

SELECT CAST(TIMESTAMPTZ '2024-03-10 12:00:00Z' AS VARCHAR) AS v, CAST(TIMESTAMPTZ '2024-03-10 12:00:00.25+05:30' AS VARCHAR) AS w;

SET TimeZone = 'Europe/Paris'; SELECT TIMESTAMPTZ '2024-03-10 12:00:00+00' AS a, CAST(TIMESTAMPTZ '2024-07-10 12:00:00+00' AS VARCHAR) AS summer;

SET TimeZone = 'Asia/Kolkata'; SELECT CAST(TIMESTAMPTZ '2024-03-10 12:00:00+00' AS VARCHAR) AS v, TIMESTAMPTZ '2024-03-10 12:00:00' AS local_text;

SET TimeZone = 'America/New_York'; SELECT CAST('2024-06-01 08:00:00' AS TIMESTAMPTZ) AS a, CAST('2024-06-01 08:00:00 Europe/Berlin' AS TIMESTAMPTZ) AS b, CAST('2024-06-01T08:00:00Z' AS TIMESTAMPTZ) AS c;

SET TimeZone = 'Europe/Berlin'; SELECT CAST(TIMESTAMP '2024-01-15 10:00:00' AS TIMESTAMPTZ) AS a, CAST(TIMESTAMPTZ '2024-01-15 10:00:00+00' AS TIMESTAMP) AS b, CAST(TIMESTAMPTZ '2024-01-15 23:30:00+00' AS DATE) AS c, CAST(DATE '2024-07-01' AS TIMESTAMPTZ) AS d;

SELECT TIMESTAMP '2024-03-10 12:00:00' AT TIME ZONE 'America/Los_Angeles' AS a, TIMESTAMPTZ '2024-03-10 12:00:00+00' AT TIME ZONE 'Asia/Tokyo' AS b;

SET TimeZone = 'Europe/Berlin'; SELECT TIMESTAMP '2024-03-31 02:30:00' AT TIME ZONE 'Europe/Berlin' AS in_gap, TIMESTAMPTZ '2024-03-31 00:59:59+00' AS before_change, TIMESTAMPTZ '2024-03-31 01:00:00+00' AS after_change;

SET TimeZone = 'America/New_York'; SELECT TIMESTAMP '2024-11-03 01:30:00' AT TIME ZONE 'America/New_York' AS repeated, TIMESTAMPTZ '2024-11-03 05:30:00+00' AS first_0130, TIMESTAMPTZ '2024-11-03 06:30:00+00' AS second_0130;

SELECT TIMESTAMPTZ '2024-11-03 05:30:00+00' AT TIME ZONE 'America/New_York' AS a, TIMESTAMPTZ '2024-11-03 06:30:00+00' AT TIME ZONE 'America/New_York' AS b, TIMESTAMPTZ '2024-03-31 01:30:00+00' AT TIME ZONE 'Europe/Berlin' AS c;

SET TimeZone = 'America/New_York'; SELECT date_trunc('day', TIMESTAMPTZ '2024-11-03 12:00:00+00') AS d, date_trunc('hour', TIMESTAMPTZ '2024-11-03 06:45:00+00') AS h, date_trunc('month', TIMESTAMPTZ '2024-03-01 03:00:00+00') AS m;

SET TimeZone = 'Europe/Berlin'; SELECT date_trunc('day', TIMESTAMPTZ '2024-03-31 12:00:00+00') AS d, date_trunc('week', TIMESTAMPTZ '2024-03-31 12:00:00+00') AS w, date_trunc('year', TIMESTAMPTZ '2024-06-30 23:30:00+00') AS y;

SET TimeZone = 'Europe/Berlin'; SELECT extract(hour FROM TIMESTAMPTZ '2024-03-31 12:00:00+00') AS h, extract(day FROM TIMESTAMPTZ '2024-03-31 23:30:00+00') AS d, extract(month FROM TIMESTAMPTZ '2024-03-31 23:30:00+00') AS m, extract(year FROM TIMESTAMPTZ '2024-12-31 23:30:00+00') AS y;

SET TimeZone = 'Asia/Kolkata'; SELECT hour(TIMESTAMPTZ '2024-01-01 00:00:00+00') AS h, minute(TIMESTAMPTZ '2024-01-01 00:00:00+00') AS m, day(TIMESTAMPTZ '2024-01-06 20:00:00+00') AS d;

SET TimeZone = 'Europe/Berlin'; SELECT TIMESTAMPTZ '2024-03-30 12:00:00+01' + INTERVAL '1' DAY AS next_day, TIMESTAMPTZ '2024-03-30 12:00:00+01' + INTERVAL '24' HOUR AS plus_24h, TIMESTAMPTZ '2024-02-29 12:00:00+01' + INTERVAL '1' MONTH AS next_month, TIMESTAMPTZ '2024-11-03 12:00:00+00' - INTERVAL '1' DAY AS day_before;

SET TimeZone = 'America/New_York'; SELECT date_diff('hour', TIMESTAMPTZ '2024-11-03 00:00:00-04', TIMESTAMPTZ '2024-11-04 00:00:00-05') AS hours, date_diff('day', TIMESTAMPTZ '2024-11-03 00:00:00-04', TIMESTAMPTZ '2024-11-04 00:00:00-05') AS days, date_diff('month', TIMESTAMPTZ '2024-01-31 00:00:00-05', TIMESTAMPTZ '2024-03-31 00:00:00-04') AS months;

SELECT TIMESTAMPTZ '2024-03-10 12:00:00+02' = TIMESTAMPTZ '2024-03-10 10:00:00+00' AS same_instant, TIMESTAMPTZ '2024-03-10 12:00:00+02' < TIMESTAMPTZ '2024-03-10 11:00:00+00' AS earlier;

SET TimeZone = 'Europe/Berlin'; SELECT TIMESTAMPTZ '2024-01-15 10:00:00+01' = TIMESTAMP '2024-01-15 10:00:00' AS equal_local, TIMESTAMPTZ '2024-01-15 10:00:00+00' > TIMESTAMP '2024-01-15 10:00:00' AS later;

SELECT id, CAST(ts AS TIMESTAMPTZ) AS v FROM events WHERE id % 97 = 0 ORDER BY v, id;

SET TimeZone = 'America/New_York'; SELECT id, CAST(ts AS TIMESTAMPTZ) AS v, ts AT TIME ZONE 'Asia/Tokyo' AS tokyo FROM events WHERE id % 89 = 0;

SET TimeZone = 'America/New_York'; SELECT date_trunc('day', ts AT TIME ZONE 'UTC') AS d, count(*) AS n FROM events WHERE id <= 300 GROUP BY 1 ORDER BY 1;

SET TimeZone = 'Asia/Kolkata'; SELECT extract(hour FROM CAST(ts AS TIMESTAMPTZ)) AS h, count(*) AS n, sum(amount) AS total FROM events GROUP BY 1 ORDER BY 1;

SET TimeZone = 'Europe/Berlin'; SELECT min(ts AT TIME ZONE 'UTC') AS lo, max(ts AT TIME ZONE 'UTC') AS hi, count(DISTINCT ts AT TIME ZONE 'America/New_York') AS n FROM events;

SET TimeZone = 'Europe/Berlin'; SELECT kind, min(CAST(ts AS TIMESTAMPTZ)) AS first_seen, max(CAST(ts AS TIMESTAMPTZ)) AS last_seen FROM events GROUP BY kind ORDER BY kind;

SET TimeZone = 'America/New_York'; SELECT id, ts AT TIME ZONE 'Europe/Berlin' AT TIME ZONE 'America/New_York' AS round_trip FROM events WHERE id % 101 = 0 ORDER BY id;

SELECT id, date_diff('hour', ts AT TIME ZONE 'America/New_York', ts AT TIME ZONE 'Asia/Tokyo') AS hours_apart FROM events WHERE id % 83 = 0;

SET TimeZone = 'Europe/Berlin'; SELECT CAST(TIMESTAMPTZ '1969-07-20 20:17:40+00' AS VARCHAR) AS moon, CAST(TIMESTAMPTZ '2100-07-01 00:00:00+00' AS VARCHAR) AS future;

SELECT TRY_CAST('2024-13-01 00:00:00+00' AS TIMESTAMPTZ) AS bad_month, TRY_CAST('not a time' AS TIMESTAMPTZ) AS bad_text, CAST(NULL AS TIMESTAMPTZ) AS n;

SET TimeZone = 'Australia/Lord_Howe'; SELECT CAST(TIMESTAMPTZ '2024-04-06 14:59:00+00' AS VARCHAR) AS before_change, CAST(TIMESTAMPTZ '2024-04-06 15:00:00+00' AS VARCHAR) AS after_change, TIMESTAMPTZ '2024-07-01 00:00:00+00' AS winter;

SET TimeZone = 'Europe/Berlin'; SELECT date_trunc('hour', CAST(ts AS TIMESTAMPTZ)) AS h, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC, h LIMIT 5;

SET TimeZone = 'America/New_York'; SELECT a.id, b.id FROM events a JOIN events b ON CAST(a.ts AS TIMESTAMPTZ) = b.ts AT TIME ZONE 'UTC' WHERE a.id <= 50 ORDER BY a.id;

SET TimeZone = 'Europe/Berlin'; SELECT id, CASE WHEN id % 3 = 0 THEN NULL ELSE CAST(ts AS TIMESTAMPTZ) END AS v FROM events WHERE id <= 12 ORDER BY v DESC NULLS LAST, id;

SET TimeZone = 'America/New_York'; SELECT ts FROM generate_series(TIMESTAMPTZ '2024-11-02 12:00:00-04', TIMESTAMPTZ '2024-11-05 12:00:00-05', INTERVAL '1' DAY) g(ts) ORDER BY ts;

SET TimeZone = 'Europe/Berlin'; SELECT count(*) AS hours, min(ts) AS first_hour, max(ts) AS last_hour FROM generate_series(TIMESTAMPTZ '2024-03-31 00:00:00+01', TIMESTAMPTZ '2024-04-01 00:00:00+02', INTERVAL '1' HOUR) g(ts);

SET TimeZone = 'Europe/Berlin'; SELECT id, count(*) OVER (ORDER BY CAST(ts AS TIMESTAMPTZ) RANGE BETWEEN INTERVAL '36' HOUR PRECEDING AND CURRENT ROW) AS n FROM events WHERE id <= 200 ORDER BY id;
