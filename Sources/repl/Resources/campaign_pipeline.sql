-- Campaign pipeline: raw JSON landings -> bronze -> silver (the four cleaning rules) -> the three Athena views.
-- Run:  tarn generate campaigns --rows 20000 --files 10 --out examples/campaigns/raw
--       tarn run examples/campaigns/pipeline.sql --lake campaigns-lake
-- Steps are ordered by what they read, not by their place in this file.

CREATE SCHEMA IF NOT EXISTS adtech_db;
USE adtech_db;

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
SELECT campaign_id, ad_id, date, brand, country, state, city, zipcode, impressions, clicks, spend, conversions,
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
    brand => 'Unknown', country => 'Unknown', state => 'Unknown', city => 'Unknown', zipcode => '0000');

-- Bronze: every new raw file exactly once.
COPY INTO adtech_db.campaign_raw FROM 'raw/' FORMAT json;
