"""qwen2_moe: Qwen2MoeForCausalLM (Qwen1.5-MoE). Qwen2 attention (qkv_bias, default true,
for W_Q, W_K, W_V; W_O bias-free) with sparse layers of num_experts gated experts plus one
always-active shared expert of width shared_expert_intermediate_size behind a (d_model, 1)
sigmoid gate. Which layers are sparse: see common.qwen_sparse_moe."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like, qwen_sparse_moe

QWEN2_MOE_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 151936,
    "hidden_size": 2048,
    "intermediate_size": 5632,
    "num_hidden_layers": 24,
    "num_attention_heads": 16,
    "num_key_value_heads": 16,
    "max_position_embeddings": 32768,
    "num_experts": 60,
    "num_experts_per_tok": 4,
    "moe_intermediate_size": 1408,
    "shared_expert_intermediate_size": 5632,
    "decoder_sparse_step": 1,
}


def architecture(r: Reader) -> Architecture:
    experts = qwen_sparse_moe(r, QWEN2_MOE_DEFAULTS)
    if experts:
        experts["d_ff_shared"] = r.integer(
            "shared_expert_intermediate_size",
            QWEN2_MOE_DEFAULTS["shared_expert_intermediate_size"],
            field="d_ff_shared",
        )
        experts["shared_expert_gate"] = True
    return llama_like(r, QWEN2_MOE_DEFAULTS, qkv_bias=r.boolean("qkv_bias", True, field="qkv_bias"), **experts)
