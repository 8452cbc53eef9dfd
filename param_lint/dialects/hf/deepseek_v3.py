"""deepseek_v3: DeepseekV3ForCausalLM (DeepSeek-V3, -R1). DeepSeek-V2's latent attention
and experts (see deepseek_v2) with V3's defaults and no mlp_bias key. The router's
e_score_correction_bias is a buffer, not a parameter, and the multi-token-prediction
layers (num_nextn_predict_layers) are not built by transformers: neither is counted."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .deepseek_v2 import DEEPSEEK_V2_DEFAULTS, deepseek_like

DEEPSEEK_V3_DEFAULTS = {
    **DEEPSEEK_V2_DEFAULTS,
    "vocab_size": 129280,
    "hidden_size": 7168,
    "intermediate_size": 18432,
    "num_hidden_layers": 61,
    "num_attention_heads": 128,
    "max_position_embeddings": 4096,
    "n_routed_experts": 256,
    "num_experts_per_tok": 8,
    "moe_intermediate_size": 2048,
    "n_shared_experts": 1,
    "first_k_dense_replace": 3,
}


def architecture(r: Reader) -> Architecture:
    return deepseek_like(r, DEEPSEEK_V3_DEFAULTS)
