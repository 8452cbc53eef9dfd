"""Diagnosis: each known mistake, made on purpose, is named first.

Every `tests/diagnose/<id>.yaml` declares an `expected_params` computed by hand with
that one mistake (its comment shows the arithmetic); param-lint must name `<id>` first.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from param_lint.diagnose import catalogue
from param_lint.pipeline import lint_file
from param_lint.settings import Settings
from tests.test_count import GPT3, LLAMA_2_70B, MIXTRAL_8X7B

HERE = Path(__file__).parent / "diagnose"
CASES = sorted(HERE.glob("*.yaml"))
SPEC_IDS = {
    "wo_shape",
    "no_attn_bias",
    "extra_attn_bias",
    "no_norms",
    "extra_norms",
    "tied_head",
    "untied_head",
    "no_position",
    "mha_for_gqa",
    "ungated_mlp",
    "gated_mlp",
    "active_for_total",
    "vocab_padding",
    "attn_width",
    "non_embedding",
    "bytes_not_params",
    "unit_slip",
}


def explanations(path: Path | str, **settings: object) -> list[str]:
    result = lint_file(str(path), Settings(select=("PL201",), **settings))
    [finding] = [f for f in result.findings if f.code == "PL201"]
    return [e.id for e in finding.explanations]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_the_mistake_behind_the_declared_count_is_named_first(case: Path) -> None:
    [mistake] = re.findall(r"# explains: (\S+)", case.read_text())
    assert explanations(case)[0] == mistake


def test_every_id_of_the_catalogue_has_a_case() -> None:
    assert {case.stem for case in CASES} == SPEC_IDS


def test_the_catalogue_offers_every_id_for_some_model() -> None:
    offered = {m.id for arch in (GPT3, LLAMA_2_70B, MIXTRAL_8X7B) for m in catalogue(arch)}
    assert SPEC_IDS - {"attn_width"} <= offered


def test_a_pair_of_mistakes_is_named_as_a_pair() -> None:
    assert explanations("examples/broken/gpt3-without-biases-and-norms.yaml") == ["no_attn_bias+no_norms"]


def test_nothing_is_claimed_when_no_mistake_fits(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "model: {n_vocab: 50257, n_context: 2048, n_layer: 96, d_model: 12288, n_head: 96}\nexpected_params: 1B\n"
    )
    assert explanations(config) == []


def test_a_correct_config_gets_no_finding_and_so_no_explanation() -> None:
    result = lint_file("examples/gpt3-175b.yaml")
    assert result.findings == []


def test_an_inexact_fit_says_how_close_it_is(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        "model: {n_vocab: 32000, n_layer: 80, d_model: 8192, n_head: 64, n_kv_head: 8, d_ff: 28672, mlp: gated,"
        " bias: false, norm: rmsnorm, position_embedding: rotary, tie_embeddings: false}\nexpected_params: 78.4B\n"
    )
    result = lint_file(str(config))
    first = result.findings[0].explanations[0]
    assert first.id == "mha_for_gqa" and "within" in first.message and "exactly" not in first.message


GPT3_MODEL = "model: {n_vocab: 50257, n_context: 2048, n_layer: 96, d_model: 12288, n_head: 96}\n"


def shape_explanations(tmp_path: Path, weights: str) -> list[tuple[str, list[str]]]:
    config = tmp_path / "c.yaml"
    config.write_text(GPT3_MODEL + weights)
    result = lint_file(str(config), Settings(select=("PL3",)))
    return [(f.code, [e.id for e in f.explanations]) for f in result.findings]


def test_wo_as_one_heads_square_is_named(tmp_path: Path) -> None:
    assert shape_explanations(tmp_path, "weights: {W_O: [d_head, d_head]}\n") == [("PL301", ["wo_head_square"])]


def test_the_articles_wo_is_named(tmp_path: Path) -> None:
    assert shape_explanations(tmp_path, "weights: {W_O: [n_head*d_head, d_head]}\n") == [("PL301", ["wo_shape"])]


def test_swapped_mlp_matrices_are_named(tmp_path: Path) -> None:
    found = shape_explanations(tmp_path, "weights: {W_1: [d_ff, d_model], W_2: [d_model, d_ff]}\n")
    assert found == [("PL302", ["out_in_layout", "mlp_swapped"]), ("PL302", ["out_in_layout", "mlp_swapped"])]


def test_a_wrong_shape_no_known_mistake_explains_gets_no_explanation(tmp_path: Path) -> None:
    assert shape_explanations(tmp_path, "weights: {W_Q: [n_head*d_head, 4096]}\n") == [("PL302", [])]


def test_square_weights_are_right_in_either_layout(tmp_path: Path) -> None:
    assert shape_explanations(tmp_path, "weights: {W_O: [d_model, n_head*d_head], W_V: [3*4096, d_model]}\n") == []


def test_out_in_layout_on_a_non_square_weight_is_named(tmp_path: Path) -> None:
    found = shape_explanations(tmp_path, "weights: {W_1: [d_ff, d_model]}\n")
    assert found[0][0] == "PL302" and found[0][1][0] == "out_in_layout"


def test_in_out_layout_under_the_out_in_switch_is_named(tmp_path: Path) -> None:
    found = shape_explanations(tmp_path, "weight_layout: out_in\nweights: {W_1: [d_model, d_ff]}\n")
    assert found[0][0] == "PL302" and found[0][1][0] == "in_out_layout"
