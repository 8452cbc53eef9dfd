"""DeepSeek-V4 (deepseek_v4): which attention each layer has, and the hyper-connections.

The published config's totals and tensor list are checked against transformers 5.24.0 by
tests/test_hf_golden.py and tests/checkpoint/test_names.py; these pin the per-layer rules
(as DeepseekV4Config derives them) and how a bad list is reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.counting import count
from param_lint.dialects import ConfigError, Reader
from param_lint.dialects.hf import read as read_hf

HF = Path(__file__).parent
TINY = {
    "hidden_size": 64,
    "num_hidden_layers": 5,
    "num_attention_heads": 4,
    "head_dim": 32,
    "q_lora_rank": 24,
    "o_groups": 2,
    "o_lora_rank": 12,
    "n_routed_experts": 4,
    "num_experts_per_tok": 2,
    "moe_intermediate_size": 40,
    "index_n_heads": 3,
    "index_head_dim": 8,
    "hc_mult": 3,
}


def architecture_of(**keys):
    return read_hf(Reader({"model_type": "deepseek_v4", **TINY, **keys})).architecture


def kinds(arch) -> list[str]:
    """The attention kind of every layer, in order."""
    by_layer = {i: group.mixers[0] for group in arch.layers for i in group.indices}
    return ["csa" if m.sparse else "hca" if m.compress_rate else "sliding" for _, m in sorted(by_layer.items())]


def test_the_published_compress_ratios_name_each_layer_and_drop_the_mtp_entry() -> None:
    data = json.loads((HF / "configs" / "deepseek_v4" / "deepseek-v4-flash.json").read_text())
    assert len(data["compress_ratios"]) == data["num_hidden_layers"] + 1
    arch = read_hf(Reader(data)).architecture
    assert kinds(arch)[:5] == ["sliding", "sliding", "csa", "hca", "csa"]
    assert len(kinds(arch)) == 43


def test_without_a_list_two_heavily_compressed_layers_then_alternating() -> None:
    assert kinds(architecture_of()) == ["hca", "hca", "hca", "csa", "hca"]


def test_layer_types_win_over_compress_ratios() -> None:
    arch = architecture_of(
        layer_types=["sliding_attention"] * 4 + ["compressed_sparse_attention"], compress_ratios=[128] * 5
    )
    assert kinds(arch) == ["sliding"] * 4 + ["csa"]


def test_compress_rates_set_the_compressors_position_slots() -> None:
    arch = architecture_of(compress_rates={"compressed_sparse_attention": 8, "heavily_compressed_attention": 16})
    shapes = {t.name: t.shape for s in count(arch).sections for t in s.terms}
    assert shapes["i_position"] == (8, 16)  # CSA's indexer: 2 x index_head_dim
    rates = {group.mixers[0].compress_rate for group in arch.layers}
    assert rates == {8, 16}


def test_hyper_connections_mix_around_both_sublayers_and_a_head_collapses_them() -> None:
    breakdown = count(architecture_of())
    assert [t.shape for t in breakdown.terms("W_hc_attn")][0] == ((2 + 3) * 3, 3 * 64)
    assert [t.shape for t in breakdown.terms("W_hc_ffn")][0] == ((2 + 3) * 3, 3 * 64)
    assert [t.shape for t in breakdown.terms("W_hc_head")] == [(3, 3 * 64)]


@pytest.mark.parametrize(
    ("keys", "at", "message"),
    [
        ({"compress_ratios": [0, 4, 8, 128, 0]}, "compress_ratios", "compress_ratios[2] is 8"),
        ({"compress_ratios": [0, 4]}, "compress_ratios", "lists 2 layers but num_hidden_layers is 5"),
        ({"compress_ratios": [0, [4], 4, 128, 0]}, "compress_ratios", "compress_ratios[1] is [4]"),
        ({"compress_ratios": [0, {}, 4, 128, 0]}, "compress_ratios", "compress_ratios[1] is {}"),
        ({"layer_types": ["full_attention"] * 5}, "layer_types", "layer_types[0] is 'full_attention'"),
        ({"o_groups": 3}, "o_groups", "does not divide"),
    ],
)
def test_an_impossible_layer_list_fails_at_its_key(keys: dict, at: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        architecture_of(**keys)
    assert caught.value.path == (at,)
    assert message in caught.value.message
