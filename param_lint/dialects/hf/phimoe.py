"""phimoe: PhimoeForCausalLM (Phi-3.5-MoE, Phi-mini-MoE, Phi-tiny-MoE). LayerNorms with a bias
(not RMSNorm) before attention, before the MLP and at the end; every layer is MoE with
num_local_experts gated experts of width intermediate_size (num_experts_per_tok per token,
bias-free router). attention_bias biases all four projections and lm_head_bias the head.
Attention is hidden_size wide: transformers 4.57 ignores a head_dim key in the file (5.x
honours one; the published files give hidden_size // heads, so the two agree on them)."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, LOCAL_EXPERT_KEYS, attention_bias, llama_like, routed_experts

PHIMOE_DEFAULTS = {key: value for key, value in LLAMA_DEFAULTS.items() if key != "head_dim"} | {
    "vocab_size": 32064,
    "intermediate_size": 6400,
    "num_key_value_heads": 8,
    "max_position_embeddings": 131072,
    "num_local_experts": 16,
    "num_experts_per_tok": 2,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(
        r,
        PHIMOE_DEFAULTS,
        **attention_bias(r, False),
        **routed_experts(r, LOCAL_EXPERT_KEYS, PHIMOE_DEFAULTS),
        norm="layernorm",
        lm_head_bias=r.boolean("lm_head_bias", False, field="lm_head_bias"),
    )
