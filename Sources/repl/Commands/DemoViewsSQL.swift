/// The users' three gold views (`athena_views_fixed.sql` from the workload), embedded verbatim so the
/// binary needs no resource files. `campaign_summary` names `processed_campaign_data` unqualified, so
/// the demo runs `USE adtech_db` first.
enum DemoViewsSQL {
    static let text = #"""
-- Corrected versions of athena_views.sql (FRO -> FROM; GROUP BY added to creative_performance).
-- These must run unchanged, and give the same rows as DuckDB on the same data.


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

"""#
}
