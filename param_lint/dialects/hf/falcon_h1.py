"""falcon_h1: FalconH1ForCausalLM (TII Falcon-H1). Every layer runs attention and a Mamba-2
mixer in parallel, then a gated MLP of width intermediate_size; two RMSNorms per layer.
Attention: num_attention_heads x head_dim (else hidden_size / heads), no biases (transformers
4.57.6 fixes attention_bias and mlp_bias to false whatever the file says). Mamba-2: width
mamba_d_ssm (the class default 1024 when absent; null: mamba_expand x hidden_size),
mamba_n_heads heads of mamba_d_head ("auto": the width / heads; the two must multiply to the
width), mamba_n_groups groups of mamba_d_state, conv mamba_d_conv with mamba_conv_bias;
mamba_proj_bias on in_proj, projectors_bias on out_proj; a gated RMSNorm only with
mamba_rms_norm. The muP multipliers hold no parameters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like
from .ssm import HYBRID_MAMBA2_KEYS, mamba2_mixer, stack

FALCON_H1_DEFAULTS = {key: value for key, value in LLAMA_DEFAULTS.items() if key != "head_dim"} | {
    "vocab_size": 128000,
    "hidden_size": 4096,
    "intermediate_size": 14336,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "max_position_embeddings": 8192,
}


MAMBA2_KEYS = replace(  # FalconH1Config's defaults, its width, head width, out_proj bias and norm keys
    HYBRID_MAMBA2_KEYS,
    width=("mamba_d_ssm", 1024),
    head_dim=("mamba_d_head", "auto"),
    out_bias=("projectors_bias", False),
    gated_norm=("mamba_rms_norm", False),
)


def architecture(r: Reader) -> Architecture:
    d_model = r.integer("hidden_size", FALCON_H1_DEFAULTS["hidden_size"], field="d_model", minimum=1)
    n_layer = r.integer("num_hidden_layers", FALCON_H1_DEFAULTS["num_hidden_layers"], field="n_layer", minimum=1)
    mamba = mamba2_mixer(r, d_model, MAMBA2_KEYS)
    fields: dict[str, Any] = {"layers": stack([(("attention", mamba), "dense", 2)] * n_layer)}
    if r.has("head_dim"):
        fields["d_head"] = r.integer("head_dim", field="d_head", minimum=1)
    return llama_like(r, FALCON_H1_DEFAULTS, **fields)
