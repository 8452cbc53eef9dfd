"""nemotron: NemotronForCausalLM (Nemotron-4, Minitron). An MLP without a gate (up_proj,
squared ReLU, down_proj; mlp_bias), LayerNorms with a weight and a bias (LayerNorm1P only
shifts the weight by one when applied), attention_bias on all four projections;
partial_rotary_factor holds no parameters. head_dim null: hidden_size // heads.
num_key_value_heads must be given (absent, transformers cannot build the model)."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like

NEMOTRON_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 256000,
    "hidden_size": 6144,
    "intermediate_size": 24576,
    "num_attention_heads": 48,
    "max_position_embeddings": 4096,
}


def architecture(r: Reader) -> Architecture:
    if not r.has("num_key_value_heads"):
        r.fail("num_key_value_heads", "num_key_value_heads is needed: NemotronConfig has no usable default")
    return llama_like(
        r,
        NEMOTRON_DEFAULTS,
        **attention_bias(r, False),
        mlp="standard",
        mlp_bias=r.boolean("mlp_bias", False, field="mlp_bias"),
        norm="layernorm",
    )
