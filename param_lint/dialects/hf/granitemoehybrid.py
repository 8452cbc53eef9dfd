"""granitemoehybrid: GraniteMoeHybridForCausalLM (IBM Granite 4.0-H). layer_types (default:
every layer "mamba"; transformers 5 spells them linear_attention and full_attention, which
4.57.6 does not read) says which layers have attention (Granite's: hidden_size wide,
attention_bias on all four projections, no position parameters) and which a Mamba-2 mixer
(mamba_expand * hidden_size wide, mamba_n_heads heads, mamba_n_groups groups of
mamba_d_state, conv mamba_d_conv with mamba_conv_bias, mamba_proj_bias on in/out_proj).
Every layer has a shared gated MLP of width shared_intermediate_size; with
num_local_experts > 0 also a MoE of that many experts of width intermediate_size
(num_experts_per_tok per token, bias-free router), the shared MLP then being its always-
active shared expert. Two RMSNorms per layer; Granite's multipliers hold no parameters."""

from __future__ import annotations

from ...architecture import Architecture, Mixer
from .. import Reader
from .common import LLAMA_DEFAULTS, LOCAL_EXPERT_KEYS, attention_bias, llama_like, routed_experts
from .ssm import HYBRID_MAMBA2_KEYS, layer_types, mamba2_mixer, stack

DEFAULTS = {key: value for key, value in LLAMA_DEFAULTS.items() if key != "head_dim"} | {
    "num_local_experts": 8,
    "num_experts_per_tok": 2,
}


def architecture(r: Reader) -> Architecture:
    d_model = r.integer("hidden_size", DEFAULTS["hidden_size"], field="d_model", minimum=1)
    n_layer = r.integer("num_hidden_layers", DEFAULTS["num_hidden_layers"], field="n_layer", minimum=1)
    # transformers 5 writes the new names (linear_attention, full_attention) for the same layers
    kinds = ("mamba", "attention", "linear_attention", "full_attention")
    types = layer_types(r, n_layer, kinds, ["mamba"] * n_layer)
    mamba = mamba2_mixer(r, d_model, HYBRID_MAMBA2_KEYS)
    d_shared = r.integer("shared_intermediate_size", 1024, field="d_ff_shared", minimum=1)
    moe = r.integer("num_local_experts", DEFAULTS["num_local_experts"], field="n_expert", minimum=0) > 0
    # without experts the shared MLP is the layer's only feed-forward
    fields = {**routed_experts(r, LOCAL_EXPERT_KEYS, DEFAULTS), "d_ff_shared": d_shared} if moe else {"d_ff": d_shared}
    pattern = []
    for kind in types:
        mixer: Mixer = "attention" if kind in ("attention", "full_attention") else mamba
        pattern.append(((mixer,), "moe" if moe else "dense", 2))
    return llama_like(
        r, DEFAULTS, **attention_bias(r, False), position_embedding="none", layers=stack(pattern), **fields
    )
