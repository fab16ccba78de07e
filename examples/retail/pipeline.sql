-- Retail star schema: generated orders, customers and products -> dimensions with stable surrogate keys ->
-- fact_sales -> KPI views -> customer segmentation -> CSV exports for BI tools.
-- Run:  tarn run examples/retail/pipeline.sql --lake retail-lake

CREATE SCHEMA IF NOT EXISTS retail;
USE retail;

-- Raw (bronze): a deterministic generator stands in for the sales system.
CREATE OR REFRESH TABLE retail.customers_raw AS
SELECT * FROM generate_retail('customers', customers => 500, seed => 7);

CREATE OR REFRESH TABLE retail.products_raw AS
SELECT * FROM generate_retail('products', products => 60, seed => 7);

CREATE OR REFRESH TABLE retail.orders_raw (
    CONSTRAINT positive_quantity EXPECT (quantity > 0) ON VIOLATION DROP ROW,
    CONSTRAINT priced EXPECT (unit_price > 0)
) AS
SELECT * FROM generate_retail('orders', rows => 10000, customers => 500, products => 60, seed => 7);

-- Dimensions: a surrogate key per natural key, never changed once given (kept in the catalog's key map).
CREATE OR REFRESH TABLE retail.dim_customer AS
SELECT * FROM surrogate_key(TABLE retail.customers_raw, natural_key => 'customer_id', dimension => 'dim_customer');

CREATE OR REFRESH TABLE retail.dim_product AS
SELECT * FROM surrogate_key(TABLE retail.products_raw, natural_key => 'product_id', dimension => 'dim_product');

-- Fact: one row per order line, joined to the dimensions by surrogate key.
CREATE OR REFRESH TABLE retail.fact_sales AS
SELECT o.order_id, o.order_date, c.customer_key, p.product_key, o.quantity, o.unit_price,
       o.quantity * o.unit_price AS revenue
FROM retail.orders_raw o
JOIN retail.dim_customer c ON c.customer_id = o.customer_id
JOIN retail.dim_product p ON p.product_id = o.product_id;

-- KPIs.
CREATE OR REPLACE VIEW retail.revenue_by_product_line AS
SELECT p.product_line, SUM(f.revenue) AS revenue, SUM(f.quantity) AS units, COUNT(*) AS order_lines
FROM retail.fact_sales f JOIN retail.dim_product p ON p.product_key = f.product_key
GROUP BY p.product_line;

CREATE OR REPLACE VIEW retail.revenue_by_category AS
SELECT p.category, SUM(f.revenue) AS revenue, SUM(f.quantity) AS units
FROM retail.fact_sales f JOIN retail.dim_product p ON p.product_key = f.product_key
GROUP BY p.category;

CREATE OR REPLACE VIEW retail.revenue_by_region AS
SELECT c.region, SUM(f.revenue) AS revenue, COUNT(DISTINCT f.customer_key) AS customers
FROM retail.fact_sales f JOIN retail.dim_customer c ON c.customer_key = f.customer_key
GROUP BY c.region;

CREATE OR REPLACE VIEW retail.revenue_by_month AS
SELECT date_trunc('month', order_date) AS month, SUM(revenue) AS revenue, COUNT(*) AS order_lines
FROM retail.fact_sales
GROUP BY date_trunc('month', order_date);

CREATE OR REPLACE VIEW retail.repeat_customers AS
SELECT CASE WHEN orders > 1 THEN 'repeat' ELSE 'one-time' END AS customer_type,
       COUNT(*) AS customers, SUM(revenue) AS revenue
FROM (SELECT customer_key, COUNT(*) AS orders, SUM(revenue) AS revenue FROM retail.fact_sales GROUP BY customer_key) per_customer
GROUP BY CASE WHEN orders > 1 THEN 'repeat' ELSE 'one-time' END;

-- Segmentation: High / Medium / Low value customers by the 50th and 80th percentiles of their revenue.
CREATE OR REFRESH TABLE retail.customer_segments AS
SELECT * FROM segment(TABLE retail.fact_sales, by => 'customer_key', value => 'revenue',
                      cuts => ARRAY[0.5, 0.8], labels => ARRAY['Low', 'Medium', 'High']);

-- Exports for BI tools.
COPY (SELECT * FROM retail.revenue_by_month ORDER BY month) TO 'exports/revenue_by_month.csv' (FORMAT csv, HEADER true);
COPY (SELECT s.segment, c.customer_id, c.region, s.revenue FROM retail.customer_segments s
      JOIN retail.dim_customer c ON c.customer_key = s.customer_key ORDER BY s.revenue DESC)
  TO 'exports/customer_segments.csv' (FORMAT csv, HEADER true);
