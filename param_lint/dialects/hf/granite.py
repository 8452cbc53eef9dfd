"""granite: GraniteForCausalLM (IBM Granite 3.x, the dense models). Llama's layout and keys:
embedding_multiplier, residual_multiplier, attention_multiplier and logits_scaling scale
activations and hold no parameters. head_dim is not a GraniteConfig key, but the modeling
code honours one given in the file, as Llama's does. Untied by default (the files say tied).
"""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like


def architecture(r: Reader) -> Architecture:
    return llama_like(
        r, LLAMA_DEFAULTS, **attention_bias(r, False), mlp_bias=r.boolean("mlp_bias", False, field="mlp_bias")
    )
