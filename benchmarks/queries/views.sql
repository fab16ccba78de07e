-- The three workload views (athena_views_fixed.sql), aggregated to one row (same in both engines).
-- name: view_campaign_summary
SELECT count(*), sum(total_spend), sum(total_impressions), sum(cpm) FROM adtech_db.campaign_summary;
-- name: view_campaign_performance
SELECT count(*), sum(spend), sum(impressions), sum(cpc) FROM adtech_db.campaign_performance;
-- name: view_creative_performance
SELECT count(*), sum(spend), sum(impressions), sum(cpc) FROM adtech_db.creative_performance;
-- name: view_campaign_summary_random_order
SELECT count(*), sum(total_spend), sum(total_impressions), sum(cpm) FROM adtech_random.campaign_summary;
