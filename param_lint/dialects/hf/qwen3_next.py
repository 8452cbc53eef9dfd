"""qwen3_next: Qwen3NextForCausalLM (Qwen3-Next-80B-A3B). A hybrid stack: layer_types (else
every full_attention_interval-th layer, default 4) says which layers have gated attention
(Qwen3 attention whose q_proj also yields an output gate as wide as the queries, head-wide
q/k RMSNorms, attention_bias on all four projections) and which Gated DeltaNet linear
attention (linear_num_key_heads x linear_key_head_dim, linear_num_value_heads x
linear_value_head_dim, conv linear_conv_kernel_dim). The feed-forward is Qwen-MoE (routed
experts, a shared expert behind a sigmoid gate) on the layers common.qwen_sparse_moe makes
sparse, else a dense gated MLP of width intermediate_size. The multi-token-prediction layer
of the published checkpoints (`mtp.*`) is not built by transformers and not counted."""

from __future__ import annotations

from ...architecture import Architecture, GatedDeltaNet, Mixer
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like, qwen_sparse_moe
from .ssm import layer_types, stack

QWEN3_NEXT_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 151936,
    "hidden_size": 2048,
    "intermediate_size": 5632,
    "num_hidden_layers": 48,
    "num_attention_heads": 16,
    "num_key_value_heads": 2,
    "head_dim": 256,
    "max_position_embeddings": 32768,
    "num_experts": 512,
    "num_experts_per_tok": 10,
    "moe_intermediate_size": 512,
    "shared_expert_intermediate_size": 512,
    "decoder_sparse_step": 1,
}


def gated_deltanet(r: Reader) -> GatedDeltaNet:
    """The linear-attention mixer under the linear_* keys (Qwen3-Next's and Qwen3.5's defaults)."""
    return GatedDeltaNet(
        n_k_head=r.integer("linear_num_key_heads", 16, field="layers", minimum=1),
        n_v_head=r.integer("linear_num_value_heads", 32, field="layers", minimum=1),
        d_k_head=r.integer("linear_key_head_dim", 128, field="layers", minimum=1),
        d_v_head=r.integer("linear_value_head_dim", 128, field="layers", minimum=1),
        d_conv=r.integer("linear_conv_kernel_dim", 4, field="layers", minimum=1),
    )


def architecture(r: Reader) -> Architecture:
    n_layer = r.integer("num_hidden_layers", QWEN3_NEXT_DEFAULTS["num_hidden_layers"], field="n_layer", minimum=1)
    interval = r.integer("full_attention_interval", 4, field="layers", minimum=1)
    default = ["linear_attention" if (i + 1) % interval else "full_attention" for i in range(n_layer)]
    types = layer_types(r, n_layer, ("linear_attention", "full_attention"), default)
    deltanet = gated_deltanet(r)
    experts = qwen_sparse_moe(r, QWEN3_NEXT_DEFAULTS)
    dense = set()
    if experts:
        experts["d_ff_shared"] = r.integer(
            "shared_expert_intermediate_size",
            QWEN3_NEXT_DEFAULTS["shared_expert_intermediate_size"],
            field="d_ff_shared",
        )
        experts["shared_expert_gate"] = True
        step = r.integer("decoder_sparse_step", 1, field="n_dense_layer", minimum=1)
        only = r.sequence("mlp_only_layers", [], field="n_dense_layer")
        dense = {i for i in range(n_layer) if i in only or (i + 1) % step}
    else:
        dense = set(range(n_layer))
    pattern = []
    for index, kind in enumerate(types):
        mixer: Mixer = "attention" if kind == "full_attention" else deltanet
        pattern.append(((mixer,), "dense" if index in dense else "moe", 2))
    return llama_like(
        r,
        QWEN3_NEXT_DEFAULTS,
        **attention_bias(r, False),
        qk_norm="head",
        attention_output_gate=True,
        layers=stack(pattern),
        **experts,
    )
