"""gemma3_text: Gemma3ForCausalLM (the text-only Gemma 3, e.g. gemma-3-1b). Gemma 2's four
norms per layer plus a head_dim-wide RMSNorm on queries and on keys, shared by all heads."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import attention_bias, llama_like
from .gemma2 import GEMMA2_DEFAULTS

GEMMA3_TEXT_DEFAULTS = {**GEMMA2_DEFAULTS, "vocab_size": 262_208, "max_position_embeddings": 131_072}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, GEMMA3_TEXT_DEFAULTS, **attention_bias(r, False), norms_per_layer=4, qk_norm="head")
