-- Single-column scans over adtech_db.campaigns (the demo table plus spend_n, spend with ~1/7 NULLs).
-- name: sum_bigint
SELECT SUM(impressions) FROM adtech_db.campaigns;
-- name: sum_double_nulls
SELECT SUM(spend_n) FROM adtech_db.campaigns;
-- name: count_filter
SELECT COUNT(*) FROM adtech_db.campaigns WHERE country = 'FR' AND clicks > 100;
-- name: count_distinct_zip
SELECT COUNT(DISTINCT zipcode) FROM adtech_db.campaigns;
