"""Loading: positions, duplicates, numbers, encodings, and refusals as findings."""

from __future__ import annotations

import pytest

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


def test_yaml_1_1_octal_is_a_finding_at_the_value() -> None:
    result = load_text("a.yaml", "model:\n  n_layer: 010\n")
    assert [(f.code, f.line, f.column) for f in result.findings] == [("PL101", 2, 12)]
    assert "as 8 by YAML 1.1" in result.findings[0].message and "as 10 by YAML 1.2" in result.findings[0].message


def test_yaml_1_1_sexagesimal_is_a_finding_at_the_value() -> None:
    result = load_text("a.yaml", "model:\n  n_layer: 1:36\n")
    assert [(f.code, f.line, f.column) for f in result.findings] == [("PL101", 2, 12)]
    assert "as 96 by YAML 1.1" in result.findings[0].message


def test_numbers_both_yaml_versions_read_alike_are_not_findings() -> None:
    result = load_text("a.yaml", "a: 10\nb: 0\nc: 174_594_797_568\nd: '010'\ne: 0x10\nf: 1.5\ng: -3\n")
    assert result.findings == []


def test_a_hundred_thousand_plain_values_are_not_called_an_alias_bomb() -> None:
    text = "".join(f"k{i}: {i}\n" for i in range(60_000))
    [finding] = load_text("a.yaml", text).findings
    assert finding.code == "PL003" and "alias" not in finding.message and "100,000 values" in finding.message


def test_an_alias_bomb_is_still_named_as_one() -> None:
    text = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcde", "bcdef", strict=True)
    )
    [finding] = load_text("a.yaml", text).findings
    assert finding.code == "PL003" and "alias bomb" in finding.message


def test_a_key_longer_than_yaml_allows_is_named_as_such() -> None:
    result = load_text("a.yaml", "a: 1\n" + "k" * 1100 + ": 1\nb: 2\n")
    [finding] = result.findings
    assert (finding.code, finding.line, finding.column) == ("PL001", 2, 1)
    assert "a key 1,100 characters long" in finding.message and "expected ':'" not in finding.message


def test_quick_reading_gives_the_data_and_positions_of_the_full_builder() -> None:
    """Clean files are read without positions; their positions, read on first use, are the same."""
    from param_lint.load import _JsonParser, _YamlBuilder

    for text, format in [
        ("# c\nname: x\nmodel:\n  n_layer: 96\n  list: [1, 'two', 3.5, null, true]\n  nested: {a: {b: -1}}\n", "yaml"),
        ('{\n  "model_type": "llama",\n  "hidden_size": 4096, "x": [1.5, null, {"y": "\\u00e9"}]\n}', "json"),
    ]:
        document = load_text("a", text, format).document
        full = (_JsonParser if format == "json" else _YamlBuilder)("a", text).parse()
        assert document._positions is None  # not read yet
        assert document.data == full[0]
        assert document.positions == full[1]


def test_what_the_quick_reading_cannot_vouch_for_is_read_fully() -> None:
    for text, format in [
        ("a: &x 1\nb: *x\n", "yaml"),  # aliases
        ("a: 1\na: 2\n", "yaml"),  # duplicates
        ('{"a": 1, "a": 2}', "json"),
        ("[" * 150 + "]" * 150, "json"),  # depth
        ("a: 011\n", "yaml"),  # a YAML 1.1 number
    ]:
        document = load_text("a", text, format).document
        assert document is None or document._positions is not None


def test_a_file_that_reports_no_size_is_read_whole() -> None:
    import os

    from param_lint.load import load_path

    if not os.path.exists("/proc/version"):
        pytest.skip("no /proc here")
    with open("/proc/version", encoding="utf-8") as stream:
        expected = stream.read()
    assert os.stat("/proc/version").st_size == 0
    assert load_path("/proc/version").document.text == expected


def test_a_file_at_the_size_limit_is_read_and_one_byte_more_is_refused(tmp_path) -> None:
    from param_lint.load import load_path

    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: " + b"1" * 97)
    assert load_path(str(path), max_bytes=100).document.data == {"a": int("1" * 97)}
    path.write_bytes(b"a: " + b"1" * 98)
    assert [f.code for f in load_path(str(path), max_bytes=100).findings] == ["PL003"]
