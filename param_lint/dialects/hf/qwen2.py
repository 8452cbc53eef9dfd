"""qwen2: Qwen2ForCausalLM (Qwen1.5, Qwen2, Qwen2.5). A Llama whose W_Q, W_K, W_V always
have biases and W_O never (fixed in the modeling code, no config key); num_key_value_heads
defaults to 32 when absent (null means as many as the query heads)."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like

QWEN2_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 151936,
    "intermediate_size": 22016,
    "num_key_value_heads": 32,
    "max_position_embeddings": 32768,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, QWEN2_DEFAULTS, qkv_bias=True)
