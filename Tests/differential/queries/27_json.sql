SELECT id, json_extract(concat('{"id": ', id, ', "kind": "', kind, '", "tags": [', id % 3, ', "t"]}'), '$.kind') FROM events WHERE id < 60;

SELECT id, json_extract(concat('{"a": {"b": [', id, ', {"c": "', kind, '"}]}}'), '$.a.b[1].c') FROM events WHERE id < 60;

SELECT id, concat('{"n": ', id, ', "s": "x"}') -> 'n', concat('{"n": ', id, ', "s": "x"}') ->> 's', concat('[', id, ', ', id + 1, ']') ->> 1 FROM events WHERE id < 60;

SELECT id, concat('{"o": {"k": ', id, '}}') -> '$.o', concat('{"o": {"k": ', id, '}}') ->> '$.o.k' FROM events WHERE id < 60;

SELECT id, json_array_length(concat('[', id, ', 2, 3]')), json_valid(concat('{"a": ', id, '}')), json_valid(concat('{"a": ', id)) FROM events WHERE id < 40;

SELECT json_extract('{"a": 1}', '$.missing'), '{"a": null}' ->> 'a', json_extract('[1, [2, 3]]', '$[1][0]');
