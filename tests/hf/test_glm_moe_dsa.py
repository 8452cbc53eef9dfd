"""GLM-5 (glm_moe_dsa): DeepSeek-V3's latent attention and experts, a lightning indexer on
some layers, dense or MoE feed-forward per layer.

The published config's total and active count and its tensor list are checked against
transformers 5.24.0 by tests/test_hf_golden.py and tests/checkpoint/test_names.py; these pin
the per-layer rules (as GlmMoeDsaConfig derives them) and how a bad list is reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.architecture import Indexer
from param_lint.counting import count
from param_lint.dialects import ConfigError, Reader
from param_lint.dialects.hf import read as read_hf

HF = Path(__file__).parent
TINY = {
    "hidden_size": 64,
    "vocab_size": 100,
    "num_hidden_layers": 6,
    "num_attention_heads": 4,
    "intermediate_size": 96,
    "q_lora_rank": 24,
    "kv_lora_rank": 16,
    "qk_rope_head_dim": 8,
    "qk_nope_head_dim": 12,
    "v_head_dim": 10,
    "n_routed_experts": 4,
    "num_experts_per_tok": 2,
    "moe_intermediate_size": 32,
    "index_n_heads": 3,
    "index_head_dim": 16,
    "first_k_dense_replace": 2,
}


def architecture_of(**keys):
    return read_hf(Reader({"model_type": "glm_moe_dsa", **TINY, **keys})).architecture


def indexed_layers(arch) -> list[int]:
    return sorted(i for g in arch.layers if any(isinstance(m, Indexer) for m in g.mixers) for i in g.indices)


def dense_layers(arch) -> list[int]:
    return sorted(i for g in arch.layers if g.ffn == "dense" for i in g.indices)


def test_only_full_layers_of_glm_5_have_an_indexer_and_the_first_three_a_dense_mlp() -> None:
    data = json.loads((HF / "configs" / "glm_moe_dsa" / "glm-5.2.json").read_text())
    arch = read_hf(Reader(data)).architecture
    assert indexed_layers(arch) == [0, 1, 2, *range(6, 78, 4)]
    assert dense_layers(arch) == [0, 1, 2]
    names = [section.name for section in count(arch).sections]
    assert "attention & indexer + MoE layer" in names and "attention + MoE layer" in names


def test_without_a_list_the_indexed_layers_follow_frequency_and_offset() -> None:
    # transformers: layer i is full when max(i - offset + 1, 0) % freq == 0
    arch = architecture_of(index_topk_freq=3, index_skip_topk_offset=1)
    assert indexed_layers(arch) == [0, 3]
    assert indexed_layers(architecture_of()) == list(range(6))  # freq 1: every layer


def test_a_pattern_string_spells_full_and_shared_layers() -> None:
    assert indexed_layers(architecture_of(index_topk_pattern="FSSFFS")) == [0, 3, 4]


def test_mlp_layer_types_decide_the_dense_layers_over_first_k_dense_replace() -> None:
    arch = architecture_of(mlp_layer_types=["sparse", "dense", "sparse", "sparse", "dense", "sparse"])
    assert dense_layers(arch) == [1, 4]
    assert dense_layers(architecture_of()) == [0, 1]


def test_the_indexer_reads_the_query_latent_and_keeps_a_layernorm_with_a_bias() -> None:
    [section] = [s for s in count(architecture_of()).sections if s.name == "attention & indexer + MoE layer"]
    shapes = {term.name: term.shape for term in section.terms}
    assert shapes["W_IQ"] == (24, 3 * 16) and shapes["W_IK"] == (64, 16) and shapes["W_Iw"] == (64, 3)
    assert shapes["norm_IK.bias"] == (16,)


@pytest.mark.parametrize(
    ("keys", "at", "message"),
    [
        ({"q_lora_rank": None}, "q_lora_rank", "q_lora_rank is needed"),
        ({"indexer_types": ["full"] * 5 + ["sparse"]}, "indexer_types", "indexer_types[5] is 'sparse'"),
        ({"mlp_layer_types": ["dense"] * 5}, "mlp_layer_types", "lists 5 layers but num_hidden_layers is 6"),
        ({"index_topk_pattern": "FSX"}, "index_topk_pattern", "6 letters F (full) or S (shared)"),
    ],
)
def test_an_impossible_layer_list_fails_at_its_key(keys: dict, at: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        architecture_of(**keys)
    assert caught.value.path == (at,)
    assert message in caught.value.message
