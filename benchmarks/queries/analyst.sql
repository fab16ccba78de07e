-- Analyst query classes (issue 20) over adtech_db.campaigns: windows (ranking, running and moving aggregates),
-- holistic aggregates and COUNT(DISTINCT) per group, a sort with a large OFFSET, and a fan-out self-join under GROUP BY.
-- Results are aggregated or limited so every engine returns the same row count whatever the order of ties.
-- name: an_window_top3
SELECT count(*) FROM (SELECT row_number() OVER (PARTITION BY campaign_id ORDER BY spend DESC, ad_id, "date") AS rn
                      FROM adtech_db.campaigns) t WHERE rn <= 3;
-- name: an_window_running_sum
SELECT count(*), max(running) FROM (SELECT sum(impressions) OVER (PARTITION BY campaign_id ORDER BY "date") AS running
                                    FROM adtech_db.campaigns) t;
-- name: an_window_moving_avg
SELECT count(*) FROM (SELECT avg(spend) OVER (PARTITION BY ad_id ORDER BY "date" ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS a
                      FROM adtech_db.campaigns) t WHERE a > 100;
-- name: an_count_distinct_per_group
SELECT campaign_id, count(DISTINCT ad_id) AS ads, count(DISTINCT zipcode) AS zips FROM adtech_db.campaigns GROUP BY campaign_id;
-- name: an_median_per_group
SELECT campaign_id, median(spend) AS median_spend FROM adtech_db.campaigns GROUP BY campaign_id;
-- name: an_sort_offset
SELECT campaign_id, ad_id, "date", spend FROM adtech_db.campaigns ORDER BY spend DESC, ad_id, "date", impressions
LIMIT 100 OFFSET 100000;
-- name: an_fanout_join
SELECT a.campaign_id, count(*) AS pairs FROM adtech_db.campaigns a JOIN adtech_db.campaigns b
  ON a.ad_id = b.ad_id AND a."date" = b."date" GROUP BY a.campaign_id;
