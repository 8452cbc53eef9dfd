"""The counter against the article's figures and published model sizes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from param_lint.architecture import Architecture
from param_lint.counting import count

ARTICLE = Architecture(
    n_vocab=50257,
    n_context=2048,
    n_layer=96,
    d_model=12288,
    n_head=96,
    d_head=128,
    n_kv_head=96,
    d_ff=49152,
    qkv_bias=False,
    out_bias=False,
    mlp_bias=True,
    norm="none",
    final_norm=False,
)
GPT3 = replace(ARTICLE, qkv_bias=True, out_bias=True, norm="layernorm", final_norm=True)
LLAMA_2_7B = Architecture(
    n_vocab=32000,
    n_layer=32,
    d_model=4096,
    n_head=32,
    d_head=128,
    n_kv_head=32,
    d_ff=11008,
    position_embedding="rotary",
    mlp="gated",
    norm="rmsnorm",
    tie_embeddings=False,
    qkv_bias=False,
    out_bias=False,
    mlp_bias=False,
)
LLAMA_2_70B = replace(LLAMA_2_7B, n_layer=80, d_model=8192, n_head=64, n_kv_head=8, d_ff=28672)
MIXTRAL_8X7B = replace(LLAMA_2_7B, n_kv_head=8, d_ff=14336, n_expert=8, n_expert_per_token=2, d_ff_expert=14336)


def section_total(arch: Architecture, name: str) -> int:
    return next(s.total for s in count(arch).sections if s.name == name)


def test_article_embeddings_are_token_plus_position_matrix() -> None:
    assert section_total(ARTICLE, "embeddings") == 50257 * 12288 + 2048 * 12288 == 642_723_840


def test_article_attention_per_layer_is_four_d_model_d_head_n_head() -> None:
    layer = next(s for s in count(ARTICLE).sections if s.name == "layer")
    assert sum(t.params for t in layer.terms if t.group == "attention") == 4 * 12288 * 128 * 96 == 603_979_776


def test_article_feed_forward_per_layer_is_eight_d_model_squared_plus_five_d_model() -> None:
    layer = next(s for s in count(ARTICLE).sections if s.name == "layer")
    assert sum(t.params for t in layer.terms if t.group == "feed-forward") == 8 * 12288**2 + 5 * 12288 == 1_208_020_992


def test_article_total_is_its_175b() -> None:
    assert count(ARTICLE).total == 174_594_797_568


def test_gpt3_as_gpt2_architecture_adds_attention_biases_and_layernorms() -> None:
    assert count(GPT3).total == 174_604_259_328
    assert count(GPT3).total - count(ARTICLE).total == 96 * (4 * 12288 + 2 * 2 * 12288) + 2 * 12288


def test_wo_shaped_d_head_undercounts_by_the_article_figure() -> None:
    breakdown = count(ARTICLE)
    wrong = breakdown.with_shape(ARTICLE, lambda a: {"W_O": (a.n_head * a.d_head, a.d_head)})
    assert breakdown.total - wrong.total == 96 * 96 * 128 * (12288 - 128) == 14_344_519_680
    assert wrong.total == 160_250_277_888


def test_llama_2_7b() -> None:
    assert count(LLAMA_2_7B).total == 6_738_415_616


def test_llama_2_70b_with_grouped_query_attention() -> None:
    assert count(LLAMA_2_70B).total == 68_976_648_192


def test_untied_head_adds_one_unembedding() -> None:
    assert count(replace(GPT3, tie_embeddings=False)).total - count(GPT3).total == 50257 * 12288


def test_mixture_of_experts_total_and_active() -> None:
    breakdown = count(MIXTRAL_8X7B)
    assert breakdown.total == 46_702_792_704
    assert breakdown.active == 12_879_925_248


def test_dense_model_is_all_active() -> None:
    assert count(GPT3).active == count(GPT3).total


def test_dense_first_layers_of_a_moe_model_keep_the_dense_mlp() -> None:
    sparse = count(MIXTRAL_8X7B)
    one_dense = count(replace(MIXTRAL_8X7B, n_dense_layer=1))
    expert_mlp = 3 * 4096 * 14336
    assert sparse.total - one_dense.total == 8 * expert_mlp + 4096 * 8 - 3 * 4096 * 14336


def test_experts_without_biases_drop_every_expert_bias_but_keep_the_dense_ones() -> None:
    biased = replace(MIXTRAL_8X7B, mlp_bias=True, n_dense_layer=1)
    unbiased = replace(biased, expert_bias="none")
    per_moe_layer = 8 * (2 * 14336 + 4096)  # b_1, b_3 and b_2 of each expert
    assert count(biased).total - count(unbiased).total == 31 * per_moe_layer
    assert count(unbiased).terms("b_1") == [t for t in count(biased).terms("b_1") if t.group == "feed-forward"]


def test_an_output_bias_after_the_experts_is_one_d_model_vector_per_moe_layer() -> None:
    megablocks = replace(MIXTRAL_8X7B, mlp_bias=True, expert_bias="output")
    assert count(megablocks).total - count(MIXTRAL_8X7B).total == 32 * 4096
    assert count(megablocks).terms("b_experts")[0].shape == (4096,)


def test_learned_positions_include_the_offset_rows() -> None:
    opt = replace(GPT3, position_offset=2)
    assert count(opt).total - count(GPT3).total == 2 * 12288


@pytest.mark.parametrize(
    ("norm", "norm_bias", "per_norm"),
    [("layernorm", True, 2), ("layernorm", False, 1), ("rmsnorm", True, 1), ("none", True, 0)],
)
def test_norm_parameters_per_norm(norm: str, norm_bias: bool, per_norm: int) -> None:
    arch = replace(ARTICLE, norm=norm, norm_bias=norm_bias, final_norm=True)
    assert count(arch).total - count(ARTICLE).total == per_norm * 12288 * (2 * 96 + 1)


def test_sections_multiply_their_terms_by_their_copies() -> None:
    breakdown = count(GPT3)
    assert breakdown.total == sum(sum(t.params for t in s.terms) * s.copies for s in breakdown.sections)
