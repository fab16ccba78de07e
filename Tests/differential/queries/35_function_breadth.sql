-- Differential queries: functions added for Trino coverage whose DuckDB spelling and meaning are the same
-- (hyperbolic, float classes, chr / unicode, translate, edit distances, NFC, last_day, JSON path tests).

SELECT id, sinh(y * 5), cosh(y * 5), tanh(y * 5), sinh(x) FROM nums;

SELECT id, isfinite(x), isnan(x), isinf(x) FROM nums;

SELECT id, isfinite(CAST('inf' AS DOUBLE)), isinf(CAST('-inf' AS DOUBLE)), isnan(CAST('nan' AS DOUBLE)), isnan(x) FROM nums WHERE id < 5;

SELECT id, chr(CAST(65 + id % 26 AS INTEGER)), chr(CAST(945 + id % 20 AS INTEGER)) FROM nums WHERE id < 80;

SELECT id, unicode(s) FROM strs WHERE s IS NOT NULL;

SELECT id, translate(s, 'aeiou', 'AEI') FROM strs;

SELECT id, translate(s, 'abc', '') FROM strs;

SELECT a.id, b.id, levenshtein(a.s, b.s) FROM strs a, strs b WHERE a.id < 15 AND b.id < 15;

SELECT a.id, b.id, hamming(a.s, b.s) FROM strs a, strs b WHERE a.id < 40 AND b.id < 40 AND length(a.s) = length(b.s) AND length(a.s) > 0;

SELECT id, nfc_normalize(s) FROM strs;

SELECT id, last_day(d) FROM events;

SELECT id, last_day(ts) FROM events;

SELECT id, json_exists(concat('{"a": {"b": [', id, ', {"c": "', kind, '"}]}}'), '$.a.b[1].c'), json_exists(concat('{"a": ', id, '}'), '$.b') FROM events WHERE id < 60;

SELECT a % 7 AS g, kurtosis(x), kurtosis(c), regr_slope(y, x), regr_intercept(y, x), regr_slope(c, a) FROM nums GROUP BY 1;

SELECT kurtosis(x), regr_slope(y, x), regr_intercept(y, x), geometric_mean(x), geomean(a + 1) FROM nums;

SELECT a % 5 AS g, geometric_mean(x), geomean(a + 1) FROM nums GROUP BY 1;

SELECT a % 9 AS g, bit_and(c), bit_or(c), bit_and(b), bit_or(b) FROM nums GROUP BY 1;

SELECT kind, kurtosis(amount) FILTER (WHERE id % 2 = 0), regr_slope(amount, id) FROM events GROUP BY kind;

-- (DuckDB's TRY nulls a whole vector when one row fails, so only inputs where every row fails or none does are compared
-- here; TrinoFunctionExampleTests checks Trino's row-by-row behaviour.)
SELECT id, s, try(CAST(s AS INTEGER)), try(CAST(id AS DOUBLE) / 2) FROM strs;
