"""Loading: positions, duplicates, numbers, encodings, and refusals as findings."""

from __future__ import annotations

from param_lint.findings import Mark
from param_lint.load import load_bytes, load_text


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def test_every_key_keeps_its_line_and_column() -> None:
    document = load_text("a.yaml", "name: x\nmodel:\n  n_layer: 96\n  d_model: 12288\n").document
    assert document.mark(("model", "d_model")) == Mark(4, 3)
    assert document.value_mark(("model", "d_model")) == Mark(4, 12)


def test_a_missing_key_points_at_the_mapping_that_should_hold_it() -> None:
    document = load_text("a.yaml", "name: x\nmodel:\n  n_layer: 96\n").document
    assert document.mark(("model", "d_model")) == Mark(2, 1)


def test_json_keys_keep_their_positions_too() -> None:
    document = load_text("c.json", '{\n  "model_type": "llama",\n  "hidden_size": 4096\n}', "json").document
    assert document.data == {"model_type": "llama", "hidden_size": 4096}
    assert document.mark(("hidden_size",)) == Mark(3, 3)


def test_exponent_numbers_that_yaml_1_1_leaves_as_strings_are_numbers() -> None:
    data = load_text("a.yaml", "a: 1.75e11\nb: 1e-4\nc: '1e3'\n").document.data
    assert data == {"a": 175_000_000_000, "b": 0.0001, "c": "1e3"}


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    result = load_text("a.yaml", "a: 1\nb: 2\na: 3\n")
    assert [(f.code, f.line, f.column) for f in result.findings] == [("PL002", 3, 1)]
    assert result.document.data == {"a": 3, "b": 2}


def test_duplicate_key_in_json() -> None:
    assert codes(load_text("a.json", '{"a": 1, "a": 2}', "json")) == ["PL002"]


def test_merge_keys_take_explicit_keys_first() -> None:
    data = load_text("a.yaml", "base: &b {x: 1, y: 2}\nmodel:\n  <<: *b\n  y: 5\n").document.data
    assert data["model"] == {"x": 1, "y": 5}


def test_yaml_reads_on_as_a_boolean_key_and_says_so() -> None:
    result = load_text("a.yaml", "on: 1\n")
    assert codes(result) == ["PL101"]
    assert "quote it" in result.findings[0].message


def test_unknown_tags_are_refused() -> None:
    assert codes(load_text("a.yaml", "a: !custom 1\n")) == ["PL003"]


def test_syntax_error_has_line_and_column() -> None:
    [finding] = load_text("a.yaml", "a: [1, 2\nb: 3\n").findings
    assert (finding.code, finding.line) == ("PL001", 2)


def test_json_syntax_error_has_line_and_column() -> None:
    [finding] = load_text("a.json", '{\n  "a": 1,\n}', "json").findings
    assert (finding.code, finding.line, finding.column) == ("PL001", 3, 1)


def test_byte_order_mark_and_crlf_are_fine() -> None:
    result = load_bytes("a.yaml", b"\xef\xbb\xbfa: 1\r\nb: 2\r\n")
    assert result.findings == [] and result.document.data == {"a": 1, "b": 2}


def test_utf16_with_byte_order_mark_is_decoded() -> None:
    result = load_bytes("a.yaml", "a: 1\n".encode("utf-16"))
    assert result.document.data == {"a": 1}


def test_invalid_utf8_points_at_the_bad_byte() -> None:
    [finding] = load_bytes("a.yaml", b"a: 1\nb: \xff\n").findings
    assert (finding.code, finding.line, finding.column) == ("PL001", 2, 4)


def test_binary_file_is_refused() -> None:
    assert codes(load_bytes("a.yaml", b"\x00\x01\x02")) == ["PL001"]


def test_deep_json_nesting_is_refused_without_recursion() -> None:
    assert codes(load_text("a.json", "[" * 20000 + "]" * 20000, "json")) == ["PL003"]
