"""qwen3_moe: Qwen3MoeForCausalLM. Qwen3 attention (head-wide q/k RMSNorms, attention_bias)
with sparse layers of num_experts gated experts and no shared expert. head_dim is not a
key of this config class (unlike qwen3): absent, it is hidden_size // num_attention_heads.
Which layers are sparse: see common.qwen_sparse_moe."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like, qwen_sparse_moe

QWEN3_MOE_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 151936,
    "hidden_size": 2048,
    "intermediate_size": 6144,
    "num_hidden_layers": 24,
    "num_attention_heads": 32,
    "num_key_value_heads": 4,
    "max_position_embeddings": 32768,
    "num_experts": 128,
    "num_experts_per_tok": 8,
    "moe_intermediate_size": 768,
    "decoder_sparse_step": 1,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(
        r, QWEN3_MOE_DEFAULTS, **attention_bias(r, False), qk_norm="head", **qwen_sparse_moe(r, QWEN3_MOE_DEFAULTS)
    )
