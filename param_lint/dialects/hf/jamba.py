"""jamba: JambaForCausalLM (AI21 Jamba v0.1, Jamba 1.5 Mini/Large). Layer i has attention
when i % attn_layer_period == attn_layer_offset, else a Mamba-1 mixer (width mamba_expand *
hidden_size, with RMSNorms on dt, B and C); its feed-forward is a MoE of num_experts gated
experts (num_experts_per_tok per token, bias-free router, no shared expert) when
i % expert_layer_period == expert_layer_offset and num_experts > 1, else a dense gated MLP
of width intermediate_size. Two RMSNorms per layer; Llama attention (no biases, hidden_size
wide), no position parameters."""

from __future__ import annotations

from ...architecture import Architecture, Mamba, Mixer
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like, routed_experts
from .ssm import every, stack, time_step_rank

JAMBA_DEFAULTS = {key: value for key, value in LLAMA_DEFAULTS.items() if key != "head_dim"} | {
    "vocab_size": 65536,
    "hidden_size": 4096,
    "intermediate_size": 14336,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "max_position_embeddings": 262144,
    "num_experts": 16,
    "num_experts_per_tok": 2,
    "moe_intermediate_size": None,
}
EXPERT_KEYS = {
    "n_expert": "num_experts",
    "n_expert_per_token": "num_experts_per_tok",
    "d_ff_expert": "intermediate_size",
}


def architecture(r: Reader) -> Architecture:
    d_model = r.integer("hidden_size", JAMBA_DEFAULTS["hidden_size"], field="d_model", minimum=1)
    n_layer = r.integer("num_hidden_layers", JAMBA_DEFAULTS["num_hidden_layers"], field="n_layer", minimum=1)
    period = {
        key: r.integer(key, default, field="layers", minimum=minimum)
        for key, default, minimum in (
            ("attn_layer_period", 8, 1),
            ("attn_layer_offset", 4, 0),
            ("expert_layer_period", 2, 1),
            ("expert_layer_offset", 1, 0),
        )
    }
    mamba = Mamba(
        d_inner=r.integer("mamba_expand", 2, field="layers", minimum=1) * d_model,
        d_state=r.integer("mamba_d_state", 16, field="layers", minimum=1),
        d_conv=r.integer("mamba_d_conv", 4, field="layers", minimum=1),
        dt_rank=time_step_rank(r, "mamba_dt_rank", d_model),
        conv_bias=r.boolean("mamba_conv_bias", True, field="layers"),
        proj_bias=r.boolean("mamba_proj_bias", False, field="layers"),
        inner_norms=True,
    )
    moe = r.integer("num_experts", JAMBA_DEFAULTS["num_experts"], field="n_expert", minimum=1) > 1
    experts = routed_experts(r, EXPERT_KEYS, JAMBA_DEFAULTS) if moe else {}
    pattern = []
    for index in range(n_layer):
        attention = every(period["attn_layer_period"], period["attn_layer_offset"], index)
        mixer: Mixer = "attention" if attention else mamba
        sparse = moe and every(period["expert_layer_period"], period["expert_layer_offset"], index)
        pattern.append(((mixer,), "moe" if sparse else "dense", 2))
    layers = stack(pattern)
    fields = experts
    if moe:
        fields["n_dense_layer"] = sum(group.n for group in layers if group.ffn == "dense")
    return llama_like(r, JAMBA_DEFAULTS, position_embedding="none", layers=layers, **fields)
