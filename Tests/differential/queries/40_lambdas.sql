-- Lambdas in the spellings DuckDB shares with Tarn (run.py sets DuckDB's lambda_syntax to accept `x -> …`):
-- list_transform / list_filter / list_reduce (with DuckDB's index parameter and initial value), the `lambda x: …`
-- form, nested lambdas, and bodies reading the row's columns. Trino-only spellings (transform, filter, reduce with an
-- output lambda, any_match, zip_with) are checked against Trino's documentation in LambdaTests.

SELECT list_transform([1, 2, 3], x -> x + 1) AS plus_one, list_filter([1, 2, 3, 4], x -> x % 2 = 0) AS evens, list_transform([1, 2, 3], (x, i) -> x * i) AS times_index;

SELECT list_reduce([1, 2, 3], (s, x) -> s + x) AS total, list_reduce([1, 2, 3], (s, x) -> s + x, 10) AS from_ten, list_reduce([1, 2, 3], (s, x, i) -> s + x * i) AS weighted, list_reduce([2, 3], (s, x) -> s || CAST(x AS VARCHAR), '') AS text;

SELECT list_filter([1, NULL, 3], x -> x > 1) AS skips_null, list_transform(CAST(NULL AS INTEGER[]), x -> x + 1) AS null_array, list_transform([], x -> x + 1) AS empty, list_reduce([1, NULL, 3], (s, x) -> s + x) AS null_element;

SELECT list_transform([[1, 2], [3]], x -> list_transform(x, y -> y * 10)) AS nested, list_transform([1, 2], x -> list_filter([1, 2, 3], y -> y > x)) AS inner_reads_outer, list_filter([1, 2, 3], lambda x: x % 2 = 1) AS python_form;

SELECT id, list_transform(string_split(t, ' '), w -> upper(w)) AS upper_words, list_filter(string_split(t, ' '), w -> length(w) > 3) AS long_words FROM strs WHERE id <= 60 ORDER BY id;

SELECT id, list_transform([a, b, 100], v -> v + id) AS shifted, list_filter([a, b], v -> v > b) AS above_b, list_reduce([a, b, id], (s, v) -> CASE WHEN v > s THEN v ELSE s END) AS biggest FROM nums WHERE id <= 200 ORDER BY id;

SELECT kind, list_transform(array_agg(id ORDER BY id), i -> i % 7) AS mods, len(list_filter(array_agg(amount), a -> a > 50)) AS over_50 FROM events GROUP BY kind ORDER BY kind;

SELECT kind, count(*) AS n FROM events WHERE len(list_filter([amount, amount * 2], v -> v > 150)) > 0 GROUP BY kind ORDER BY kind;

SELECT d.category, list_transform(array_agg(d.price ORDER BY d.product_key), p -> round(p / 2, 1))[1:3] AS halves FROM dim_product d GROUP BY d.category ORDER BY d.category;

SELECT id, list_reduce(string_split(t, ' '), (s, w) -> s || '+' || w) AS joined FROM strs WHERE id <= 40 AND t IS NOT NULL AND t <> '' ORDER BY id;
