-- Queries over Parquet files DuckDB wrote (zstd): {campaigns} is adtech_db.campaigns, {lineitem} TPC-H's lineitem.
-- bench.py substitutes the paths; both engines run the same text.
-- name: pq_sum_two_columns
SELECT SUM(impressions), SUM(spend) FROM read_parquet('{campaigns}');
-- name: pq_count_filter
SELECT COUNT(*) FROM read_parquet('{campaigns}') WHERE country = 'FR' AND clicks > 100;
-- name: pq_campaign_summary
SELECT count(*), sum(total_spend), sum(total_impressions), sum(cpm) FROM (
  SELECT campaign_id, SUM(impressions) total_impressions, SUM(clicks) total_clicks, SUM(spend) total_spend,
         SUM(conversions) total_conversions,
         (CASE WHEN (SUM(impressions) > 0) THEN (((SUM(spend) * 1E0) / SUM(impressions)) * 1000) ELSE 0 END) cpm
  FROM read_parquet('{campaigns}') GROUP BY campaign_id) s;
-- name: pq_tpch_q01
select l_returnflag, l_linestatus, sum(l_quantity) as sum_qty, sum(l_extendedprice) as sum_base_price,
  sum(l_extendedprice * (1 - l_discount)) as sum_disc_price, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) as sum_charge,
  avg(l_quantity) as avg_qty, avg(l_extendedprice) as avg_price, avg(l_discount) as avg_disc, count(*) as count_order
from read_parquet('{lineitem}')
where l_shipdate <= date '1998-12-01' - interval '90' day
group by l_returnflag, l_linestatus
order by l_returnflag, l_linestatus;
-- name: pq_tpch_q06
select sum(l_extendedprice * l_discount) as revenue
from read_parquet('{lineitem}')
where l_shipdate >= date '1994-01-01' and l_shipdate < date '1994-01-01' + interval '1' year
  and l_discount between 0.06 - 0.01 and 0.06 + 0.01 and l_quantity < 24;
