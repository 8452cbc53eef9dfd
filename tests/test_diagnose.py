"""Diagnosis: each known mistake, made on purpose, is named first; one wrong
hyperparameter is named with the value that fits.

Every `tests/diagnose/*.yaml` declares an `expected_params` computed by hand with one
mistake (its comment shows the arithmetic and `# explains: <id>` names it); param-lint
must name that id first.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from param_lint.architecture import Architecture
from param_lint.counting import count
from param_lint.diagnose import NOT_SOLVED, UNKNOWNS, catalogue, diagnose, followers, integer_fields, solve, with_value
from param_lint.dialects import ModelConfig
from param_lint.document import Document
from param_lint.pipeline import lint_file
from param_lint.quantities import Tolerance
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
ISSUE_10_IDS = {"ffn_convention", "mlp_bias_default", "gqa_for_mha"}


def explanations(path: Path | str, **settings: object) -> list[str]:
    result = lint_file(str(path), Settings(select=("PL201",), **settings))
    [finding] = [f for f in result.findings if f.code == "PL201"]
    return [e.id for e in finding.explanations]


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_the_mistake_behind_the_declared_count_is_named_first(case: Path) -> None:
    [mistake] = re.findall(r"# explains: (\S+)", case.read_text())
    assert explanations(case)[0] == mistake


def test_every_id_of_the_catalogue_has_a_case() -> None:
    explained = {id for case in CASES for id in re.findall(r"# explains: (\S+)", case.read_text())}
    assert explained == SPEC_IDS | ISSUE_10_IDS


def test_the_catalogue_offers_every_id_for_some_model() -> None:
    offered = {m.id for arch in (GPT3, LLAMA_2_70B, MIXTRAL_8X7B) for m in catalogue(arch)}
    assert (SPEC_IDS | ISSUE_10_IDS) - {"attn_width"} <= offered


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


# --- one wrong hyperparameter (issue 15) ------------------------------------------------

LLAMA_2_7B_MODEL = {
    "n_vocab": 32000,
    "n_layer": 32,
    "d_model": 4096,
    "n_head": 32,
    "d_ff": 11008,
    "mlp": "gated",
    "bias": False,
    "norm": "rmsnorm",
    "position_embedding": "rotary",
    "tie_embeddings": False,
}
LLAMA_2_7B_COUNT = 6_738_415_616
# One Llama-2-7B layer: 4 * 4096^2 attention + 3 * 4096 * 11008 MLP + 2 * 4096 norm gains.
LLAMA_2_7B_LAYER = 4 * 4096**2 + 3 * 4096 * 11008 + 2 * 4096


def lint_model(tmp_path: Path, model: dict, declared: object, extra: str = "tolerance: 0\n") -> list:
    """The PL201 findings of a native config with `model` and `expected_params: declared`."""
    config = tmp_path / "c.yaml"
    lines = ["model:"] + [
        f"  {key}: {str(value).lower() if isinstance(value, bool) else value}" for key, value in model.items()
    ]
    config.write_text("\n".join(lines) + f"\nexpected_params: {declared}\n" + extra)
    return [f for f in lint_file(str(config), Settings(select=("PL201",))).findings if f.code == "PL201"]


def field_ids(tmp_path: Path, model: dict, declared: object, extra: str = "tolerance: 0\n") -> list[str]:
    [finding] = lint_model(tmp_path, model, declared, extra)
    return [e.id for e in finding.explanations]


GEMMA_7B_MODEL = LLAMA_2_7B_MODEL | {
    "n_vocab": 256000,
    "n_layer": 28,
    "d_model": 3072,
    "n_head": 16,
    "d_head": 256,
    "d_ff": 24576,
    "tie_embeddings": True,
}
# (the file's model, the declared count worked out by hand, the explanation)
ONE_WRONG_FIELD = {
    "layers": (LLAMA_2_7B_MODEL | {"n_layer": 40}, LLAMA_2_7B_COUNT, "n_layer=32"),
    "vocabulary": (
        LLAMA_2_7B_MODEL,
        LLAMA_2_7B_COUNT + 2 * 4096,
        "n_vocab=32001",
    ),  # a padding token: a row of W_E and of W_U
    "ffn_width": (LLAMA_2_7B_MODEL | {"d_ff": 11000}, LLAMA_2_7B_COUNT, "d_ff=11008"),
    # d_model 4000 (d_head 125 follows): the count of d_model 4096, whose d_head is 128
    "width": (LLAMA_2_7B_MODEL | {"d_model": 4000}, LLAMA_2_7B_COUNT, "d_model=4096"),
    # Gemma-7B (8,537,680,896) has 16 heads of 256 on d_model 3072 (see attn_width.yaml); the file
    # says 12, or heads of 192: 28 * 4 * 3072 * 1024 = 352,321,536 fewer, the same either way
    "heads": (GEMMA_7B_MODEL | {"n_head": 12}, 8_537_680_896, "n_head=16"),
    "head_width": (GEMMA_7B_MODEL | {"d_head": 192}, 8_537_680_896, "d_head=256"),
    # Llama-2-70B's count (68,976,648,192) for a file that says 16 KV heads of 128 instead of 8
    "kv_heads": (
        LLAMA_2_7B_MODEL | {"n_layer": 80, "d_model": 8192, "n_head": 64, "n_kv_head": 16, "d_ff": 28672},
        68_976_648_192,
        "n_kv_head=8",
    ),
}


@pytest.mark.parametrize("case", ONE_WRONG_FIELD, ids=str)
def test_one_wrong_hyperparameter_is_named_with_the_value_that_fits(tmp_path: Path, case: str) -> None:
    model, declared, expected = ONE_WRONG_FIELD[case]
    assert field_ids(tmp_path, model, declared)[0] == expected


def test_a_wrong_layer_count_says_what_fits_what_the_file_says_and_where(tmp_path: Path) -> None:
    [finding] = lint_model(tmp_path, LLAMA_2_7B_MODEL | {"n_layer": 40}, LLAMA_2_7B_COUNT)
    first = finding.explanations[0]
    assert first.message == (
        "expected_params 6,738,415,616 is exactly the count with n_layer = 32; the file says 40 (line 3)"
    )
    assert (first.line, first.column, first.params) == (3, 3, LLAMA_2_7B_COUNT)


def test_two_fields_that_fit_are_both_named(tmp_path: Path) -> None:
    # d_ff 11000 -> 11008 adds 32 * 3 * 4096 * 8 = 3,145,728; so do 384 more tokens, 384 * 2 * 4096
    ids = field_ids(tmp_path, LLAMA_2_7B_MODEL | {"d_ff": 11000}, LLAMA_2_7B_COUNT)
    assert ids == ["d_ff=11008", "n_vocab=32384"]


def test_learned_positions_are_solved_for(tmp_path: Path) -> None:
    # GPT-2 small (124,439,808) with n_context 2048 in the file: 1024 rows of 768 too many; a
    # row of W_P is as wide as a row of W_E, so a vocabulary 1024 smaller fits as well
    gpt2 = {"n_vocab": 50257, "n_context": 2048, "n_layer": 12, "d_model": 768, "n_head": 12}
    ids = field_ids(tmp_path, gpt2, 124_439_808)
    assert set(ids) == {"n_context=1024", "n_vocab=49233"}


MIXTRAL_MODEL = LLAMA_2_7B_MODEL | {"n_kv_head": 8, "d_ff": 14336}
MIXTRAL_TOTAL, MIXTRAL_ACTIVE = 46_702_792_704, 12_879_925_248


def moe(**experts: int) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in ({"n_expert": 8, "n_expert_per_token": 2} | experts).items()) + "}"


def test_the_number_of_experts_is_solved_for(tmp_path: Path) -> None:
    ids = field_ids(tmp_path, MIXTRAL_MODEL | {"moe": moe(n_expert=6)}, MIXTRAL_TOTAL)
    assert ids[0] == "n_expert=8"


def test_experts_per_token_are_solved_for_the_active_count(tmp_path: Path) -> None:
    extra = f"expected_active_params: {MIXTRAL_ACTIVE}\ntolerance: 0\n"
    # 5 experts per token in the file (for 1, 3 or 4 a catalogue mistake fits as well: 2 experts
    # are as many weights as 1 twice as wide, 2/3 of 3 ungated ones, half of 4)
    [finding] = lint_model(tmp_path, MIXTRAL_MODEL | {"moe": moe(n_expert_per_token=5)}, MIXTRAL_TOTAL, extra)
    assert finding.explanations[0].id == "n_expert_per_token=2"
    assert finding.explanations[0].message.startswith("expected_active_params 12,879,925,248 is exactly")


def test_the_expert_width_is_solved_for_the_active_count(tmp_path: Path) -> None:
    # d_ff_expert 14000 in the file; Mixtral's active count has 2 experts of 14336 per token
    extra = f"expected_active_params: {MIXTRAL_ACTIVE}\ntolerance: 0\n"
    findings = lint_model(tmp_path, MIXTRAL_MODEL | {"moe": moe(d_ff_expert=14000)}, MIXTRAL_TOTAL, extra)
    active = next(f for f in findings if f.message.startswith("expected_active_params"))
    assert active.explanations[0].id == "d_ff_expert=14336"


def test_a_rounded_declaration_names_the_value_its_precision_singles_out(tmp_path: Path) -> None:
    # 6.7B: a layer is 202M, so only n_layer = 32 (6,738,415,616) rounds to 6.7B
    [finding] = lint_model(tmp_path, LLAMA_2_7B_MODEL | {"n_layer": 30}, "6.7B")
    first = finding.explanations[0]
    assert first.id == "n_layer=32" and "within 0.573% of the count with n_layer = 32" in first.message


def test_a_rounded_declaration_that_several_values_fit_names_none_of_them(tmp_path: Path) -> None:
    # 7B: n_layer 33 (6.94B) and 34 (7.14B) both round to 7B, as do hundreds of d_ff values
    ids = field_ids(tmp_path, LLAMA_2_7B_MODEL | {"n_layer": 30}, "7B", extra="tolerance: 0\n")
    assert not any(id.startswith(("n_layer=", "d_ff=", "n_vocab=")) for id in ids)


def test_only_valid_models_are_offered(tmp_path: Path) -> None:
    # 64 heads, 8 KV heads: a declared count between the 8 and 16 KV head counts would need
    # a KV head count that does not divide 64; none is offered
    declared = 68_976_648_192 + 80 * 2 * 8192 * 128 * 3  # what 11 KV heads would give
    model = LLAMA_2_7B_MODEL | {"n_layer": 80, "d_model": 8192, "n_head": 64, "n_kv_head": 8, "d_ff": 28672}
    assert not any(id.startswith("n_kv_head=") for id in field_ids(tmp_path, model, declared))


def test_every_integer_field_is_solved_for_or_said_why_not() -> None:
    assert set(UNKNOWNS) | set(NOT_SOLVED) == set(integer_fields())
    assert not set(UNKNOWNS) & set(NOT_SOLVED)


def test_gpt_neox_mistral_needs_its_written_ffn_width_and_no_mlp_biases() -> None:
    # gpt-neox mistral/7B.yml writes intermediate_size 14336; GPT-NeoX's rule for a gated MLP
    # makes each branch ceil256(2/3 * 14336) / 2 = 4864 wide, and use_bias_in_mlp defaults to
    # true. The declared number is Mistral-7B's, 7,241,732,096: d_ff 14336 and no MLP biases.
    arch = Architecture(
        n_vocab=32000, n_layer=32, d_model=4096, n_head=32, d_head=128, n_kv_head=8, d_ff=4864,
        position_embedding="rotary", tie_embeddings=False, qkv_bias=False, out_bias=False,
        mlp="gated", mlp_bias=True, norm="rmsnorm",
    )  # fmt: skip
    config = ModelConfig("gpt-neox", arch, {"d_ff": ("intermediate_size",)})
    document = Document("7B.yml", {"intermediate_size": 14336})
    found = diagnose(config, count(arch), 7_241_732_096, Tolerance(), document=document)
    assert set(found[0].id.split("+")) == {"ffn_convention", "mlp_bias_default"}
    assert "d_ff = 14,336: the number the file writes" in found[0].message


def test_a_far_off_fit_reads_in_parameters_not_in_millions_of_percent(tmp_path: Path) -> None:
    # issue 13 #16: wo_shape+unit_slip was "within 16025800.000%" of a declared 1,000
    config = tmp_path / "c.yaml"
    config.write_text(GPT3_MODEL + "expected_params: 1000\ntolerance: 1M\n")
    [finding] = lint_file(str(config), Settings(select=("PL201",))).findings
    messages = [e.message for e in finding.explanations]
    assert messages and not any(re.search(r"\d{4,}(\.\d+)?%", m) for m in messages)
    assert any(re.search(r"within [\d,]+ parameters of", m) for m in messages)


def test_param_lint_rules_pl201_documents_every_explanation(capsys: pytest.CaptureFixture[str]) -> None:
    from param_lint.cli import main

    assert main(["rules", "PL201"]) == 0
    documentation = capsys.readouterr().out
    assert all(id in documentation for id in SPEC_IDS | ISSUE_10_IDS) and "FIELD=VALUE" in documentation


def test_a_hugging_face_config_gets_the_explanation_at_its_own_key(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    text = Path("examples/hf-llama-2-7b.json").read_text()
    text = text.replace('"num_hidden_layers": 32', '"num_hidden_layers": 40')
    config.write_text(text.replace("{", '{"expected_params": 6738415616, "tolerance": 0,', 1))
    [finding] = [f for f in lint_file(str(config), Settings(select=("PL201",))).findings if f.code == "PL201"]
    first = finding.explanations[0]
    line = next(n for n, text in enumerate(config.read_text().splitlines(), 1) if "num_hidden_layers" in text)
    assert first.id == "n_layer=32" and first.line == line
    assert first.message.endswith(f"the file says 40 (num_hidden_layers, line {line})")


def test_deepseek_v32s_indexer_width_is_solved_for(tmp_path: Path) -> None:
    """DeepSeek-V3.2's indexer sits in every layer, so its widths are Architecture fields the
    solver varies (GLM-5's, on some layers only, sit in Architecture.layers and are not solved)."""
    config = tmp_path / "config.json"
    text = Path("tests/hf/configs/deepseek_v32/deepseek-v3.2-exp.json").read_text()
    text = text.replace('"index_head_dim": 128', '"index_head_dim": 64')
    config.write_text(text.replace("{", '{"expected_params": 671877929216, "tolerance": 0,', 1))
    [finding] = [f for f in lint_file(str(config), Settings(select=("PL201",))).findings if f.code == "PL201"]
    assert finding.explanations[0].id == "d_index_head=128"


DEEPSEEK_LIKE = replace(
    MIXTRAL_8X7B,
    n_head=16,
    d_head=192,
    d_head_v=128,
    q_lora_rank=1536,
    kv_lora_rank=512,
    d_head_rope=64,
    d_ff_shared=2816,
    n_dense_layer=1,
    n_expert=64,
    n_expert_per_token=6,
    d_ff_expert=1408,
)
T5_LIKE = replace(GPT3, n_layer=12, n_encoder_layer=12, relative_attention_buckets=32, position_embedding="none")
QUADRATIC_IDS = ["gpt3", "llama-2-70b", "mixtral", "deepseek-like", "t5-like"]


@pytest.mark.parametrize(
    "arch",
    [GPT3, LLAMA_2_70B, MIXTRAL_8X7B, DEEPSEEK_LIKE, T5_LIKE],
    ids=["gpt3", "llama-2-70b", "mixtral", "deepseek-like", "t5-like"],
)
def test_the_count_is_at_most_quadratic_in_every_solved_field(arch: Architecture) -> None:
    """The solver interpolates from three counts; a cubic term anywhere would make it miss fits."""
    follow = followers(arch, {})  # every field that may follow another does
    for name, unknown in UNKNOWNS.items():
        current = getattr(arch, name)
        if not isinstance(current, int) or not unknown.applies(arch, follow) or unknown.values(arch, follow):
            continue  # not solved here, or searched over a list of values
        step = unknown.step(arch, follow)
        for number in (lambda b: b.total, lambda b: b.active):
            y = [number(count(with_value(arch, name, current + k * step, follow))) for k in range(4)]
            assert y[3] - 3 * y[2] + 3 * y[1] - y[0] == 0, name


@pytest.mark.parametrize("arch", [GPT3, LLAMA_2_70B, MIXTRAL_8X7B, DEEPSEEK_LIKE, T5_LIKE], ids=QUADRATIC_IDS)
def test_the_solver_finds_a_changed_value_of_every_field(arch: Architecture) -> None:
    follow = followers(arch, {})
    for name, unknown in UNKNOWNS.items():
        current = getattr(arch, name)
        if not isinstance(current, int) or not unknown.applies(arch, follow):
            continue
        values = unknown.values(arch, follow)
        below = current - unknown.step(arch, follow) if values is None else max(v for v in values if v < current)
        target = below if below >= unknown.minimum(arch, follow) else current + unknown.step(arch, follow)
        for active in (False, True):

            def number(a: Architecture, active: bool = active) -> int:
                return count(a).active if active else count(a).total

            declared = number(with_value(arch, name, target, follow))
            if declared == number(arch):
                continue  # the field does not change this number (experts per token, the total)
            solutions = solve(arch, number, declared, declared + 1)
            assert (name, target) in [(s.name, s.value) for s in solutions], (name, active)


def test_a_field_the_file_leaves_to_a_rule_follows_the_solved_one(tmp_path: Path) -> None:
    # no d_head in the file: it is d_model / n_head, 125 for 4000 and 128 for 4096
    [finding] = lint_model(tmp_path, LLAMA_2_7B_MODEL | {"d_model": 4000}, LLAMA_2_7B_COUNT)
    first = finding.explanations[0]
    assert first.id == "d_model=4096"
    assert "with d_model = 4,096 (d_head = 128 follows it); the file says 4,000 (line 4)" in first.message


def test_a_vocabulary_a_format_pads_is_also_tried_as_written() -> None:
    # a format that pads the 50,257 it reads to 50,304 (128 x TP 1); the declared number is
    # GPT-3's unpadded count: (50304 - 50257) * 12288 = 577,536 fewer
    arch = replace(GPT3, n_vocab=50304)
    config = ModelConfig("megatron", arch, {"n_vocab": ("padded_vocab_size",)})
    document = Document("gpt3.yaml", {"padded_vocab_size": 50257})
    found = diagnose(config, count(arch), count(arch).total - 577_536, Tolerance(), document=document)
    assert found[0].id == "vocab_padding" and "the vocabulary the file writes, 50,257" in found[0].message


def test_a_rotary_head_width_is_only_solved_to_even_values() -> None:
    # 78.5B singles out d_head = 229 for Llama-2-70B; rotary positions turn pairs of features,
    # so an odd head width is no model, and the real mistake (full-width K and V) comes first.
    [finding] = [f for f in lint_file("examples/broken/llama-2-70b-counted-as-mha.yaml").findings if f.code == "PL201"]
    ids = [e.id for e in finding.explanations]
    assert ids[0] == "mha_for_gqa" and not any(i.startswith("d_head=") for i in ids)
