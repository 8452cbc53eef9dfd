"""qwen3_vl_moe: Qwen3VLMoeForConditionalGeneration (Qwen3-VL-30B-A3B, 235B-A22B). Qwen3-VL's
vision tower, patch merger and DeepStack mergers (qwen3_vl.py) beside a Qwen3-MoE text model
under text_config: head-wide q/k RMSNorms, num_experts gated experts (stored fused) and a
router per sparse layer, no shared expert; mlp_only_layers and decoder_sparse_step keep dense
layers as in qwen3_moe. Its text config class has a head_dim key (absent or null:
hidden_size // num_attention_heads) and its own defaults."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like, qwen_sparse_moe
from .qwen3_vl import vision_parts
from .towers import sub_reader

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


def architecture(r: Reader) -> Architecture:
    text = sub_reader(r, "text_config", {})
    return llama_like(
        text, TEXT_DEFAULTS, **attention_bias(text, False), qk_norm="head", **qwen_sparse_moe(text, TEXT_DEFAULTS)
    )


def parts(r: Reader) -> tuple[Part, ...]:
    return vision_parts(r)
