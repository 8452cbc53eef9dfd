"""phi: PhiForCausalLM (Phi-1, Phi-1.5, Phi-2). A parallel block (one LayerNorm per layer),
biases on every linear layer including the untied lm_head, a plain two-matrix MLP, and with
qk_layernorm a head-wide LayerNorm (with bias) on queries and keys. Partial rotary
(partial_rotary_factor) adds no parameters."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like

PHI_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 51200,
    "hidden_size": 2048,
    "intermediate_size": 8192,
    "num_hidden_layers": 24,
}


def architecture(r: Reader) -> Architecture:
    qk_norm = r.boolean("qk_layernorm", False, field="qk_norm")
    return llama_like(
        r,
        PHI_DEFAULTS,
        qkv_bias=True,
        out_bias=True,
        mlp="standard",
        mlp_bias=True,
        norm="layernorm",
        norms_per_layer=1,
        lm_head_bias=True,
        qk_norm="head" if qk_norm else "none",
        qk_norm_bias=True,
    )
