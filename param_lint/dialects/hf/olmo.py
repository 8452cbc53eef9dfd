"""olmo: OlmoForCausalLM (OLMo 1). A Llama whose LayerNorms have no parameters at all
(OlmoLayerNorm: no weight, no bias), so no norm adds to the count."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like

OLMO_DEFAULTS = {**LLAMA_DEFAULTS, "vocab_size": 50304}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, OLMO_DEFAULTS, **attention_bias(r, False), norm="none")
