"""stablelm: StableLmForCausalLM (StableLM-3B-4E1T, StableLM 2). A Llama with biased
LayerNorms; use_qkv_bias for W_Q, W_K, W_V (W_O is bias-free); with qk_layernorm, one
bias-free LayerNorm per head on queries and keys; use_parallel_residual drops the second
norm of each layer. head_dim is always hidden_size // num_attention_heads (W_O is
(hidden_size, hidden_size)); no head_dim key is read."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like

STABLELM_DEFAULTS = {
    **{key: value for key, value in LLAMA_DEFAULTS.items() if key != "head_dim"},
    "vocab_size": 50304,
    "intermediate_size": 6912,
    "hidden_size": 2560,
    "num_key_value_heads": 32,
    "max_position_embeddings": 4096,
}


def architecture(r: Reader) -> Architecture:
    parallel = r.boolean("use_parallel_residual", False, field="norms_per_layer")
    return llama_like(
        r,
        STABLELM_DEFAULTS,
        qkv_bias=r.boolean("use_qkv_bias", False, field="qkv_bias"),
        qk_norm="per_head" if r.boolean("qk_layernorm", False, field="qk_norm") else "none",
        norm="layernorm",
        norms_per_layer=1 if parallel else 2,
    )
