"""ernie4_5: Ernie4_5ForCausalLM (ERNIE-4.5-0.3B). Llama's block; one use_bias switch for
every attention and MLP projection (not the head); tied embeddings by default."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like, same_bias

ERNIE4_5_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 103424,
    "hidden_size": 1024,
    "intermediate_size": 3072,
    "num_hidden_layers": 18,
    "num_attention_heads": 16,
    "num_key_value_heads": 2,
    "head_dim": 128,
    "max_position_embeddings": 131072,
    "tie_word_embeddings": True,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, ERNIE4_5_DEFAULTS, **same_bias(r, "use_bias", False))
