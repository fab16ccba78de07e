-- Differential queries: DECIMAL arithmetic whose intermediate values need more than 64 bits (Tarn computes
-- through 128-bit intermediates and checks only the result against DECIMAL(18, s)).

SELECT id, CAST(c AS DECIMAL(15,2)) * CAST(y AS DECIMAL(15,6)) FROM nums WHERE id <= 100;

SELECT id, CAST(c AS DECIMAL(18,6)) / CAST(7 AS DECIMAL(18,4)) FROM nums WHERE id <= 100;

SELECT id, CAST(CAST(c AS DECIMAL(18,6)) / CAST(3.25 AS DECIMAL(18,4)) AS DECIMAL(18,6)) FROM nums WHERE id <= 100;

SELECT sum(CAST(c AS DECIMAL(18,6))), sum(CAST(c AS DECIMAL(15,2)) * CAST(y AS DECIMAL(15,2))) FROM nums;

SELECT CAST(100.00 * sum(CASE WHEN a > 50 THEN CAST(abs(c) % 100000 AS DECIMAL(15,2)) * (1 - CAST(abs(y) AS DECIMAL(15,2))) ELSE 0 END) / sum(CAST(abs(c) % 100000 AS DECIMAL(15,2)) * (1 - CAST(abs(y) AS DECIMAL(15,2)))) AS DECIMAL(18,6)) FROM nums;

SELECT id, CAST(c AS DECIMAL(18,2)) % CAST(0.07 AS DECIMAL(18,6)) FROM nums WHERE id <= 50;

SELECT CAST(12345678901.345678 AS DECIMAL(18,6)) * CAST(1.5 AS DECIMAL(2,1)), CAST(999999999999.999999 AS DECIMAL(18,6)) / CAST(1.000001 AS DECIMAL(7,6));
