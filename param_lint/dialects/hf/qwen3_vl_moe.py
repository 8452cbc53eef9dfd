"""qwen3_vl_moe: Qwen3VLMoeForConditionalGeneration (Qwen3-VL-30B-A3B, 235B-A22B). Qwen3-VL's
vision tower, patch merger and DeepStack mergers (qwen3_vl.py) beside a Qwen3-MoE text model
under text_config: head-wide q/k RMSNorms, num_experts gated experts (stored fused) and a
router per sparse layer, no shared expert; mlp_only_layers and decoder_sparse_step keep dense
layers as in qwen3_moe. Its text config class has a head_dim key (absent or null:
hidden_size // num_attention_heads) and its own defaults; the expert count is num_experts
or, as transformers 5 writes it, num_local_experts. Tying as for qwen3_vl."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, dense_layers_by_step, llama_like, read_int, routed_experts
from .qwen3_vl import vision_parts, with_top_level_tying

# Qwen3VLMoeTextConfig's defaults.
TEXT_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 151936,
    "hidden_size": 2048,
    "intermediate_size": 5632,
    "num_hidden_layers": 24,
    "num_attention_heads": 16,
    "num_key_value_heads": 16,
    "head_dim": None,
    "max_position_embeddings": 128000,
    "num_experts": 60,
    "num_experts_per_tok": 4,
    "moe_intermediate_size": 1408,
    "decoder_sparse_step": 1,
}


EXPERT_KEYS = {
    "n_expert": ("num_experts", "num_local_experts"),
    "n_expert_per_token": "num_experts_per_tok",
    "d_ff_expert": "moe_intermediate_size",
}


def text_architecture(text: Reader) -> Architecture:
    """Qwen3-MoE under Qwen3VLMoeTextConfig's keys and defaults; num_experts 0: all dense."""
    moe = {}
    if read_int(text, EXPERT_KEYS["n_expert"], TEXT_DEFAULTS["num_experts"], "n_expert", minimum=0):
        n_layer = text.integer("num_hidden_layers", TEXT_DEFAULTS["num_hidden_layers"], minimum=1)
        moe = {
            **routed_experts(text, EXPERT_KEYS, TEXT_DEFAULTS),
            "n_dense_layer": dense_layers_by_step(text, n_layer, TEXT_DEFAULTS["decoder_sparse_step"]),
        }
    return llama_like(text, TEXT_DEFAULTS, **attention_bias(text, False), qk_norm="head", **moe)


def architecture(r: Reader) -> Architecture:
    return with_top_level_tying(r, text_architecture)


def parts(r: Reader) -> tuple[Part, ...]:
    return vision_parts(r)
