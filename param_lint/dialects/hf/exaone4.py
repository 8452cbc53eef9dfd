"""exaone4: Exaone4ForCausalLM (EXAONE 4.0). RMSNorms after attention and after the MLP
(none before), a head_dim-wide RMSNorm on queries and on keys shared by all heads, and no
bias anywhere (there is no attention_bias key). sliding_window_pattern / layer_types only
choose which layers attend locally. The modeling code honours a head_dim in the file."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like

EXAONE4_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 102400,
    "intermediate_size": 16384,
    "num_key_value_heads": 32,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, EXAONE4_DEFAULTS, qk_norm="head")
