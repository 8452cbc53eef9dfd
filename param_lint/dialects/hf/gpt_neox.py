"""gpt_neox: GPTNeoXForCausalLM (Pythia, GPT-NeoX-20B, RedPajama-INCITE). Fused
query_key_value and dense with biases when attention_bias (default true), a biased plain
MLP, two biased LayerNorms per layer whether or not use_parallel_residual, rotary
positions (rotary_pct adds no parameters) and an untied embed_out by default."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like

GPT_NEOX_DEFAULTS = {
    **{key: value for key, value in LLAMA_DEFAULTS.items() if key not in ("head_dim", "num_key_value_heads")},
    "vocab_size": 50432,
    "hidden_size": 6144,
    "num_hidden_layers": 44,
    "num_attention_heads": 64,
    "intermediate_size": 24576,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(
        r,
        GPT_NEOX_DEFAULTS,
        **attention_bias(r, True),
        mlp="standard",
        mlp_bias=True,
        norm="layernorm",
    )
