"""glm4_moe: Glm4MoeForCausalLM (GLM-4.5, GLM-4.5-Air, GLM-4.6, GLM-4.7). attention_bias
biases W_Q, W_K and W_V (never W_O); use_qk_norm adds head_dim-wide RMSNorms on queries
and keys. The first first_k_dense_replace layers keep a dense MLP of width
intermediate_size; the others have n_routed_experts gated experts of width
moe_intermediate_size (num_experts_per_tok per token, bias-free router) and
n_shared_experts always-active ones fused into one MLP. The router's
e_score_correction_bias is a buffer, and the multi-token-prediction layers
(num_nextn_predict_layers) are not built by transformers: neither is counted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like, routed_experts
from .deepseek_v2 import EXPERT_KEYS

GLM4_MOE_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 151552,
    "hidden_size": 4096,
    "intermediate_size": 10944,
    "num_hidden_layers": 46,
    "num_attention_heads": 96,
    "num_key_value_heads": 8,
    "head_dim": None,
    "max_position_embeddings": 131072,
    "n_routed_experts": 128,
    "num_experts_per_tok": 8,
    "moe_intermediate_size": 1408,
    "n_shared_experts": 1,
    "first_k_dense_replace": 1,
}


def architecture(
    r: Reader, d: Mapping[str, Any] = GLM4_MOE_DEFAULTS, bias: bool = False, qk_norm_key: str | None = "use_qk_norm"
) -> Architecture:
    """`d`, `bias` (attention_bias's default) and `qk_norm_key` (None: a model without q/k
    norms whatever the file says) let GLM-4.5V's text model (glm4v_moe.py) reuse this."""
    n_layer = r.integer("num_hidden_layers", d["num_hidden_layers"], field="n_layer", minimum=1)
    experts = routed_experts(r, EXPERT_KEYS, d)
    n_shared = r.integer("n_shared_experts", d["n_shared_experts"], field="d_ff_shared")
    n_dense = r.integer("first_k_dense_replace", d["first_k_dense_replace"], field="n_dense_layer")
    return llama_like(
        r,
        d,
        qkv_bias=r.boolean("attention_bias", bias, field="qkv_bias"),
        out_bias=False,
        qk_norm="head" if qk_norm_key and r.boolean(qk_norm_key, False, field="qk_norm") else "none",
        **experts,
        d_ff_shared=n_shared * experts["d_ff_expert"],
        n_dense_layer=min(n_dense, n_layer),
    )
