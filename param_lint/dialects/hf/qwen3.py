"""qwen3: Qwen3ForCausalLM. A Llama with an RMSNorm of width head_dim on queries and on
keys (one for all heads), attention_bias for W_Q, W_K, W_V, W_O, and head_dim defaulting
to 128 rather than hidden_size // num_attention_heads."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like

QWEN3_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 151936,
    "intermediate_size": 22016,
    "num_key_value_heads": 32,
    "head_dim": 128,
    "max_position_embeddings": 32768,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, QWEN3_DEFAULTS, **attention_bias(r, False), qk_norm="head")
