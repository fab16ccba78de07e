/// The dashboards every `tarn serve --http-port` has, written in the same Markdown as a user's own
/// (see docs/DASHBOARDS.md): campaigns, the marketing-mix model, pipelines, violations, and one table.
/// A user's folder may replace any of them with a file of the same name.
enum BuiltinDashboards {
    static let names = ["campaigns", "mmm", "pipelines", "violations"]

    static func source(_ name: String) -> String? {
        switch name {
        case "campaigns": return campaigns
        case "mmm": return mmm
        case "pipelines": return pipelines
        case "violations": return violations
        case "table": return table
        case "view": return view
        default: return nil
        }
    }

    /// The campaign filters, as one WHERE clause over the silver table's columns.
    static let campaignFilter = """
    WHERE TRUE [[AND date >= CAST(${from|date} AS DATE)]] [[AND date <= CAST(${to|date} AS DATE)]]
      [[AND brand = ${brand}]] [[AND campaign_id = ${campaign}]]
      [[AND country = ${country}]] [[AND state = ${state}]] [[AND city = ${city}]] [[AND zipcode = ${zip}]]
    """

    static let campaigns = """
    # Campaigns

    Spend and results of the cleaned campaign data (`adtech_db.processed_campaign_data`). Filters are kept in the URL, so a view can be shared.

    ```filter
    name=from type=date label=From
    ```
    ```filter
    name=to type=date label=To
    ```
    ```filter
    name=brand label=Brand data=brands
    ```
    ```filter
    name=campaign label=Campaign data=campaigns
    ```
    ```filter
    name=country label=Country data=countries
    ```
    ```filter
    name=state label=State data=states
    ```
    ```filter
    name=city label=City data=cities
    ```
    ```filter
    name=zip label=Zip data=zips
    ```

    ```sql brands
    SELECT DISTINCT brand FROM adtech_db.processed_campaign_data ORDER BY brand
    ```
    ```sql campaigns
    SELECT DISTINCT campaign_id FROM adtech_db.processed_campaign_data WHERE TRUE [[AND brand = ${brand}]] ORDER BY campaign_id
    ```
    ```sql countries
    SELECT DISTINCT country FROM adtech_db.processed_campaign_data ORDER BY country
    ```
    ```sql states
    SELECT DISTINCT state FROM adtech_db.processed_campaign_data WHERE TRUE [[AND country = ${country}]] ORDER BY state
    ```
    ```sql cities
    SELECT DISTINCT city FROM adtech_db.processed_campaign_data
    WHERE TRUE [[AND country = ${country}]] [[AND state = ${state}]] ORDER BY city
    ```
    ```sql zips
    SELECT DISTINCT zipcode FROM adtech_db.processed_campaign_data
    WHERE TRUE [[AND country = ${country}]] [[AND state = ${state}]] [[AND city = ${city}]]
    ORDER BY zipcode
    ```

    ```sql totals
    SELECT sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(conversions) AS conversions,
           CASE WHEN sum(impressions) > 0 THEN sum(clicks) * 1E0 / sum(impressions) END AS ctr,
           CASE WHEN sum(clicks) > 0 THEN sum(spend) * 1E0 / sum(clicks) END AS cpc,
           CASE WHEN sum(impressions) > 0 THEN sum(spend) * 1E0 / sum(impressions) * 1000 END AS cpm,
           CASE WHEN sum(clicks) > 0 THEN sum(conversions) * 1E0 / sum(clicks) END AS conversion_rate
    FROM adtech_db.processed_campaign_data
    \(campaignFilter)
    ```

    ```chart type=kpi data=totals value=spend title=Spend format=currency id=spend
    ```
    ```chart type=kpi data=totals value=impressions title=Impressions format=integer id=impressions
    ```
    ```chart type=kpi data=totals value=clicks title=Clicks format=integer id=clicks
    ```
    ```chart type=kpi data=totals value=conversions title=Conversions format=integer id=conversions
    ```
    ```chart type=kpi data=totals value=ctr title=CTR format=percent id=ctr
    ```
    ```chart type=kpi data=totals value=cpc title=CPC format=currency id=cpc
    ```
    ```chart type=kpi data=totals value=cpm title=CPM format=currency id=cpm
    ```
    ```chart type=kpi data=totals value=conversion_rate title="Conversion rate" format=percent id=conversion_rate
    ```

    ## Daily

    ```sql daily
    SELECT date, sum(spend) AS spend, sum(clicks) AS clicks, sum(conversions) AS conversions
    FROM adtech_db.processed_campaign_data
    \(campaignFilter)
    GROUP BY date ORDER BY date
    ```

    ```chart type=line data=daily x=date y=spend title="Spend per day"
    ```
    ```chart type=line data=daily x=date y=clicks,conversions title="Clicks and conversions per day"
    ```

    ## Top campaigns and creatives

    ```sql top_campaigns
    SELECT campaign_id, brand, sum(spend) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(conversions) AS conversions
    FROM adtech_db.processed_campaign_data
    \(campaignFilter)
    GROUP BY campaign_id, brand ORDER BY spend DESC, campaign_id LIMIT 10
    ```
    ```sql top_creatives
    SELECT ad_id, campaign_id, sum(spend) AS spend, sum(clicks) AS clicks, sum(conversions) AS conversions,
           CASE WHEN sum(clicks) > 0 THEN sum(conversions) * 1E0 / sum(clicks) END AS conversion_rate
    FROM adtech_db.processed_campaign_data
    \(campaignFilter)
    GROUP BY ad_id, campaign_id ORDER BY spend DESC, ad_id LIMIT 10
    ```

    ```chart type=bar data=top_campaigns x=campaign_id y=spend title="Top campaigns by spend"
    ```
    ```chart type=table data=top_campaigns id=top_campaigns
    ```
    ```chart type=table data=top_creatives title="Top creatives" id=top_creatives
    ```

    ## Geography

    ```sql geography
    SELECT country, state, sum(spend) AS spend, sum(clicks) AS clicks, sum(conversions) AS conversions,
           CASE WHEN sum(impressions) > 0 THEN sum(clicks) * 1E0 / sum(impressions) END AS ctr
    FROM adtech_db.processed_campaign_data
    \(campaignFilter)
    GROUP BY country, state ORDER BY spend DESC, country, state LIMIT 25
    ```
    ```sql by_country
    SELECT country, sum(spend) AS spend FROM adtech_db.processed_campaign_data
    \(campaignFilter)
    GROUP BY country ORDER BY spend DESC, country
    ```

    ```chart type=bar data=by_country x=country y=spend title="Spend by country"
    ```
    ```chart type=table data=geography id=geography
    ```
    """

    static let mmm = """
    # Marketing mix model

    The model's ROI per channel with 90% intervals, each channel's contribution over time, the response curves, and the budget optimiser (`mmm_optimize`). See docs/MMM.md.

    ```filter
    name=model label=Model data=models default=first
    ```
    ```filter
    name=budget label="Budget" type=number default=1000000
    ```
    ```filter
    name=weeks label="Weeks" type=number default=1
    ```

    ```sql models
    SELECT name FROM tarn.models GROUP BY name ORDER BY max(created_at) DESC, name
    ```
    ```sql roi
    SELECT channel, roi, roi_low, roi_high, spend, contribution FROM mmm_roi(${model}) ORDER BY roi DESC
    ```
    ```sql contributions
    SELECT * FROM mmm_contributions(${model}) WHERE kind = 'channel'
    ```
    ```sql curves
    SELECT channel, spend, response, response_low, response_high FROM mmm_response_curves(${model}, points => 30)
    ```
    ```sql optimal
    SELECT * FROM mmm_optimize(${model}, budget => ${budget|number}, weeks => ${weeks|number})
    ```

    ## ROI per channel (90% interval)

    ```chart type=bar data=roi x=channel y=roi lower=roi_low upper=roi_high title="ROI per channel"
    ```
    ```chart type=table data=roi id=roi
    ```

    ## Contributions over time

    ```chart type=area data=contributions x=#1 y=contribution series=component title="Weekly contribution by channel" width=900
    ```

    ## Response curves

    ```chart type=line data=curves x=spend y=response series=channel lower=response_low upper=response_high title="Weekly response to weekly spend" width=900 height=320
    ```

    ## Budget optimiser

    Set the budget and weeks above and press Apply: the split below is `mmm_optimize`'s.

    ```chart type=table data=optimal id=optimal
    ```
    """

    static let pipelines = """
    # Pipelines

    The refresh matrix: the last run of every table (from `tarn.pipeline_runs`), rows in, out and dropped per rule, freshness expectations, and failures. Freshness expectations come from `ALTER TABLE t SET TBLPROPERTIES ('freshness' = '2 hours')` or `tarn serve --freshness TABLE=DURATION`.

    ```sql last_runs
    SELECT table_name, kind, status, ended_at, rows_in, rows_out, rows_dropped, version, run_id, message
    FROM (SELECT *, row_number() OVER (PARTITION BY table_name ORDER BY started_at DESC, step DESC) AS rn FROM tarn.pipeline_runs) r
    WHERE rn = 1 ORDER BY table_name
    ```
    ```sql drops
    SELECT d.table_name, d.rule, d.rows, d.run_id
    FROM tarn.pipeline_drops d
    JOIN (SELECT table_name, max(started_at) AS started_at FROM tarn.pipeline_runs GROUP BY table_name) l ON l.table_name = d.table_name
    JOIN tarn.pipeline_runs r ON r.run_id = d.run_id AND r.table_name = d.table_name AND r.started_at = l.started_at
    ORDER BY d.table_name, d.rule
    ```
    ```sql failures
    SELECT started_at, run_id, step, table_name, status, message FROM tarn.pipeline_runs
    WHERE status IN ('failed', 'rolled back') ORDER BY started_at DESC LIMIT 20
    ```
    ```sql dropped_tables
    SELECT table_name, sum(rows) AS rows_dropped FROM tarn.pipeline_drops GROUP BY table_name ORDER BY table_name
    ```

    ## Last run of every table

    ```chart type=table data=last_runs id=last_runs link=table_name:/tables/{value}
    ```

    ## Rows dropped per rule (last run)

    ```chart type=table data=drops id=drops link=table_name:/dashboards/violations?table={value}
    ```

    ## Freshness

    ```chart type=table data=freshness id=freshness link=table_name:/tables/{value}
    ```

    ## Failures

    ```chart type=table data=failures id=failures
    ```

    ## Violations

    ```chart type=table data=dropped_tables id=dropped_tables link=table_name:/dashboards/violations?table={value}
    ```
    """

    static let violations = """
    # Violations

    Rows a `DROP ROW` expectation kept out of a table (`violations('t')`).

    ```filter
    name=table label=Table data=tables default=first
    ```
    ```sql tables
    SELECT DISTINCT table_name FROM tarn.pipeline_drops ORDER BY table_name
    ```
    ```sql by_rule
    SELECT expectation, count(*) AS rows FROM violations(${table}) GROUP BY expectation ORDER BY rows DESC
    ```
    ```sql rows
    SELECT * FROM violations(${table}) LIMIT 200
    ```

    ```chart type=table data=by_rule id=by_rule
    ```
    ```chart type=table data=rows id=rows
    ```
    """

    static let table = """
    # Table

    ```filter
    name=version label="Version" data=history default=first
    ```
    ```sql history
    DESCRIBE HISTORY ${table|ident}
    ```
    ```sql columns
    DESCRIBE ${table|ident}
    ```
    ```sql data
    SELECT * FROM ${table|ident} VERSION AS OF ${version|number} LIMIT 100
    ```

    ## Columns

    ```chart type=table data=columns id=columns
    ```

    ## History

    ```chart type=table data=history id=history
    ```

    ## Data at the chosen version (first 100 rows)

    ```chart type=table data=data id=data
    ```
    """

    static let view = """
    # View

    ```sql columns
    DESCRIBE ${table|ident}
    ```
    ```sql data
    SELECT * FROM ${table|ident} LIMIT 100
    ```

    ## Columns

    ```chart type=table data=columns id=columns
    ```

    ## First 100 rows

    ```chart type=table data=data id=data
    ```
    """
}
