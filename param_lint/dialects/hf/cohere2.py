"""cohere2: Cohere2ForCausalLM (Command R7B, Command A). Cohere's parallel block: one
bias-free LayerNorm per layer read by attention and MLP alike; attention_bias biases all
four projections; no q/k norms. Its sliding/global layer pattern changes no weight.
Tied embeddings by default; the modeling code honours a head_dim in the file."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .cohere import COHERE_DEFAULTS, no_null_head_dim
from .common import attention_bias, llama_like

COHERE2_DEFAULTS = {**COHERE_DEFAULTS, "head_dim": None}


def architecture(r: Reader) -> Architecture:
    no_null_head_dim(r)
    return llama_like(
        r, COHERE2_DEFAULTS, **attention_bias(r, False), norm="layernorm", norm_bias=False, norms_per_layer=1
    )
