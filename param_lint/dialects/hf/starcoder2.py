"""starcoder2: Starcoder2ForCausalLM. Llama-shaped attention (GQA, rotary) with GPT-2's
other parts: a plain two-matrix MLP, LayerNorms with biases, and use_bias switching the
biases of every linear layer; embeddings tied by default."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like, same_bias

STARCODER2_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 49152,
    "hidden_size": 3072,
    "intermediate_size": 12288,
    "num_hidden_layers": 30,
    "num_attention_heads": 24,
    "num_key_value_heads": 2,
    "max_position_embeddings": 4096,
    "tie_word_embeddings": True,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, STARCODER2_DEFAULTS, **same_bias(r, "use_bias", True), mlp="standard", norm="layernorm")
