"""granitemoe: GraniteMoeForCausalLM (Granite 3.0/3.1 MoE, e.g. granite-3.1-3b-a800m). Every
layer is MoE: num_local_experts gated experts of width intermediate_size, stored as one
input_linear (gate and up) and one output_linear tensor, num_experts_per_tok per token, a
bias-free router, no shared expert. Attention is hidden_size wide (no head_dim key);
attention_bias biases all four projections; Granite's multipliers hold no parameters."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, LOCAL_EXPERT_KEYS, attention_bias, llama_like, routed_experts

GRANITEMOE_DEFAULTS = {key: value for key, value in LLAMA_DEFAULTS.items() if key != "head_dim"} | {
    "num_local_experts": 8,
    "num_experts_per_tok": 2,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(
        r, GRANITEMOE_DEFAULTS, **attention_bias(r, False), **routed_experts(r, LOCAL_EXPERT_KEYS, GRANITEMOE_DEFAULTS)
    )
