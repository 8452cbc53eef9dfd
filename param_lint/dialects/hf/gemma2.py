"""gemma2: Gemma2ForCausalLM. Gemma with four RMSNorms per layer (before and after the
attention, before and after the MLP) and other defaults; soft-capping and sliding windows
add no parameters."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import attention_bias, llama_like
from .gemma import GEMMA_DEFAULTS

GEMMA2_DEFAULTS = {
    **GEMMA_DEFAULTS,
    "hidden_size": 2304,
    "intermediate_size": 9216,
    "num_hidden_layers": 26,
    "num_attention_heads": 8,
    "num_key_value_heads": 4,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, GEMMA2_DEFAULTS, **attention_bias(r, False), norms_per_layer=4)
