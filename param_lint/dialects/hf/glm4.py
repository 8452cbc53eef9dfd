"""glm4: Glm4ForCausalLM (GLM-4-0414, GLM-Z1). Four RMSNorms per layer (before and after
attention, before and after the MLP); attention_bias (default true) puts biases on W_Q,
W_K and W_V but never on W_O; gate and up fused into one gate_up_proj (same count);
partial_rotary_factor holds no parameters.

Backed by configs of our own only (OWN_CONFIGS_ONLY: no published config found): exact against
transformers 4.57.6 and 5.24.0 on tests/hf/configs_own/glm4/, one of them GLM-4-9B-0414's
documented widths."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like

GLM4_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 151552,
    "intermediate_size": 13696,
    "num_hidden_layers": 40,
    "num_key_value_heads": 2,
    "head_dim": 128,
    "max_position_embeddings": 131072,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(
        r,
        GLM4_DEFAULTS,
        qkv_bias=r.boolean("attention_bias", True, field="qkv_bias"),
        out_bias=False,
        norms_per_layer=4,
    )
