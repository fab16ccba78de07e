-- The weekly revenue the marketing-mix model reads, pulled from the ERP's PostgreSQL database instead of the CSV feed
-- (`COPY INTO marketing.sales FROM 'sales/'` in pipeline.sql). The ERP table: weekly_sales(week date, revenue float8).
--
-- Once per lake, store the connection as a secret: its password is kept in the lake's catalog, never in this file,
-- and never shown (tarn.secrets prints it as 'redacted'):
--   tarn campaigns-lake -c "CREATE SECRET erp (TYPE postgres, HOST 'erp.internal', PORT 5432, USER 'etl', PASSWORD '…', DATABASE 'erp')"
-- Run:  tarn run examples/campaigns/sales_from_postgres.sql --lake campaigns-lake
-- Each run copies only the weeks past the last one loaded (the watermark is committed with the rows: exactly once);
-- tarn.lineage records the source as postgres:erp.public.weekly_sales.

ATTACH '' AS erp (TYPE postgres, SECRET erp, READ_ONLY);
CREATE SCHEMA IF NOT EXISTS marketing;

COPY INTO marketing.sales FROM erp.public.weekly_sales WATERMARK week;
