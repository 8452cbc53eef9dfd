"""olmo2: Olmo2ForCausalLM (OLMo 2). RMSNorms after the attention and after the MLP (two
per layer, none before), and q/k RMSNorms over the full projected width: n_head*d_head for
queries, n_kv_head*d_head for keys (qk_norm per_head)."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import attention_bias, llama_like
from .olmo import OLMO_DEFAULTS


def architecture(r: Reader) -> Architecture:
    return llama_like(r, OLMO_DEFAULTS, **attention_bias(r, False), qk_norm="per_head")
