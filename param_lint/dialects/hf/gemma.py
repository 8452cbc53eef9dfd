"""gemma: GemmaForCausalLM (Gemma 1). A Llama with tied embeddings by default, head_dim
defaulting to 256 (not hidden_size // num_attention_heads) and attention_bias for W_Q,
W_K, W_V, W_O. Its RMSNorm scales by (1 + weight): still one weight per feature."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like

GEMMA_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 256000,
    "hidden_size": 3072,
    "intermediate_size": 24576,
    "num_hidden_layers": 28,
    "num_attention_heads": 16,
    "num_key_value_heads": 16,
    "head_dim": 256,
    "max_position_embeddings": 8192,
    "tie_word_embeddings": True,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, GEMMA_DEFAULTS, **attention_bias(r, False))
