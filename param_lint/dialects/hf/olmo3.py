"""olmo3: Olmo3ForCausalLM (OLMo 3). OLMo 2's block (RMSNorms after attention and after
the MLP, q/k RMSNorms over the full projected width); its sliding-window layer_types
change no weight. The modeling code honours a head_dim given in the file."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import attention_bias, llama_like
from .olmo import OLMO_DEFAULTS

OLMO3_DEFAULTS = {**OLMO_DEFAULTS, "head_dim": None}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, OLMO3_DEFAULTS, **attention_bias(r, False), qk_norm="per_head")
