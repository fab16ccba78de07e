-- Campaign pipeline: raw JSON landings -> bronze -> silver (the four cleaning rules) -> the three Athena views,
-- and the weekly sales feed -> a gold table of weekly spend per channel beside revenue, which a marketing-mix model
-- reads (`tarn demo` fits mmm() on it).
-- Run:  tarn generate campaigns --rows 20000 --files 10 --out examples/campaigns/raw --sales examples/campaigns/sales
--       tarn run examples/campaigns/pipeline.sql --lake campaigns-lake
-- Steps are ordered by what they read, not by their place in this file.

CREATE SCHEMA IF NOT EXISTS adtech_db;
CREATE SCHEMA IF NOT EXISTS marketing;
USE adtech_db;

-- Gold for the marketing-mix model: each week's revenue (sales feed) beside the spend per channel (silver).
-- Weeks start on Monday; a week without spend on a channel has 0 for it.
CREATE OR REFRESH TABLE marketing.weekly_channel_spend AS
SELECT s.week, s.revenue,
       coalesce(m.google_ads, 0) AS google_ads, coalesce(m.meta, 0) AS meta, coalesce(m.tiktok, 0) AS tiktok,
       coalesce(m.youtube, 0) AS youtube, coalesce(m.tv, 0) AS tv, coalesce(m.radio, 0) AS radio, coalesce(m.ooh, 0) AS ooh
FROM marketing.sales s
LEFT JOIN (
    SELECT date_trunc('week', date) AS week,
           sum(CASE WHEN channel = 'google_ads' THEN spend ELSE 0 END) AS google_ads,
           sum(CASE WHEN channel = 'meta' THEN spend ELSE 0 END) AS meta,
           sum(CASE WHEN channel = 'tiktok' THEN spend ELSE 0 END) AS tiktok,
           sum(CASE WHEN channel = 'youtube' THEN spend ELSE 0 END) AS youtube,
           sum(CASE WHEN channel = 'tv' THEN spend ELSE 0 END) AS tv,
           sum(CASE WHEN channel = 'radio' THEN spend ELSE 0 END) AS radio,
           sum(CASE WHEN channel = 'ooh' THEN spend ELSE 0 END) AS ooh
    FROM adtech_db.processed_campaign_data
    GROUP BY date_trunc('week', date)
) m ON m.week = s.week
ORDER BY s.week;

-- Gold: the corrected Athena views, unchanged (they read the silver table).
CREATE OR REPLACE VIEW "campaign_summary" AS
SELECT
campaign_id
, SUM(impressions) total_impressions
, SUM(clicks) total_clicks
, SUM(spend) total_spend
, SUM(conversions) total_conversions
, (CASE WHEN (SUM(impressions) > 0) THEN ((SUM(clicks) * 1E0) / SUM(impressions)) ELSE 0 END) ctr
, (CASE WHEN (SUM(clicks) > 0) THEN ((SUM(spend) * 1E0) / SUM(clicks)) ELSE 0 END) cpc
, (CASE WHEN (SUM(impressions) > 0) THEN (((SUM(spend) * 1E0) / SUM(impressions)) * 1000) ELSE 0 END) cpm
, (CASE WHEN (SUM(clicks) > 0) THEN ((SUM(conversions) * 1E0) / SUM(clicks)) ELSE 0 END) conversion_rate
FROM
processed_campaign_data
GROUP BY campaign_id;

CREATE OR REPLACE VIEW "campaign_performance" AS
SELECT
campaign_id
, brand
, country
, state
, city
, zipcode
, date
, SUM(impressions) impressions
, SUM(clicks) clicks
, SUM(conversions) conversions
, SUM(spend) spend
, (CASE WHEN (SUM(impressions) > 0) THEN ((SUM(clicks) * 1E0) / SUM(impressions)) ELSE 0 END) ctr
, (CASE WHEN (SUM(clicks) > 0) THEN (SUM(spend) / SUM(clicks)) ELSE 0 END) cpc
, (CASE WHEN (SUM(impressions) > 0) THEN (SUM(spend) / (SUM(impressions) / 1000)) ELSE 0 END) cpm
, (CASE WHEN (SUM(clicks) > 0) THEN ((SUM(conversions) * 1E0) / SUM(clicks)) ELSE 0 END) conversion_rate
FROM
adtech_db.processed_campaign_data
GROUP BY campaign_id, brand, country, state, city, zipcode, date;

CREATE OR REPLACE VIEW "creative_performance" AS
SELECT
ad_id
, campaign_id
, brand
, country
, state
, city
, zipcode
, date
, SUM(impressions) impressions
, SUM(clicks) clicks
, SUM(conversions) conversions
, SUM(spend) spend
, (CASE WHEN (SUM(impressions) > 0) THEN ((SUM(clicks) * 1E0) / SUM(impressions)) ELSE 0 END) ctr
, (CASE WHEN (SUM(clicks) > 0) THEN (SUM(spend) / SUM(clicks)) ELSE 0 END) cpc
, (CASE WHEN (SUM(impressions) > 0) THEN (SUM(spend) / (SUM(impressions) / 1000)) ELSE 0 END) cpm
, (CASE WHEN (SUM(clicks) > 0) THEN ((SUM(conversions) * 1E0) / SUM(clicks)) ELSE 0 END) conversion_rate
FROM
adtech_db.processed_campaign_data
GROUP BY ad_id, campaign_id, brand, country, state, city, zipcode, date;

-- Silver, rule 3 and 4: hierarchical median imputation of spend (rows with no median anywhere are dropped
-- and counted), then the derived metrics (0 where the denominator is 0).
CREATE OR REFRESH INCREMENTAL TABLE adtech_db.processed_campaign_data AS
SELECT campaign_id, ad_id, date, brand, country, state, city, zipcode, impressions, clicks, spend, conversions, channel,
       ctr(clicks, impressions) AS ctr, cpc(spend, clicks) AS cpc, cpm(spend, impressions) AS cpm,
       conversion_rate(conversions, clicks) AS conversion_rate
FROM impute(TABLE adtech_db.campaign_data_valid, column => 'spend', method => 'median',
            levels => ARRAY['ad_id,country', 'ad_id', 'brand,country', 'brand']);

-- Silver, rules 1 and 2: null defaults, then rows without counts and rows breaking the funnel are dropped
-- (each counted under its expectation, and kept in violations('adtech_db.campaign_data_valid')).
CREATE OR REFRESH INCREMENTAL TABLE adtech_db.campaign_data_valid (
    CONSTRAINT counts_present EXPECT (impressions IS NOT NULL AND clicks IS NOT NULL AND conversions IS NOT NULL) ON VIOLATION DROP ROW,
    CONSTRAINT funnel_order EXPECT (conversions <= clicks AND clicks <= impressions) ON VIOLATION DROP ROW
) AS
SELECT * FROM fill_nulls(TABLE adtech_db.campaign_raw,
    campaign_id => 'unknown_campaign', ad_id => 'unknown_ad', date => current_date,
    brand => 'Unknown', country => 'Unknown', state => 'Unknown', city => 'Unknown', zipcode => '0000', channel => 'Unknown');

-- Bronze: every new raw file exactly once, and every new file of the weekly sales feed.
COPY INTO adtech_db.campaign_raw FROM 'raw/' FORMAT json;
COPY INTO marketing.sales FROM 'sales/' FORMAT csv;
