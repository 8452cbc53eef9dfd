"""mistral: MistralForCausalLM. A Llama without bias switches (every linear layer is
bias-free in the modeling code), defaulting to 8 key/value heads and d_ff 14336."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like

MISTRAL_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "intermediate_size": 14336,
    "num_key_value_heads": 8,
    "max_position_embeddings": 4096 * 32,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, MISTRAL_DEFAULTS)
