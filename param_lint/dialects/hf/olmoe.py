"""olmoe: OlmoeForCausalLM (OLMoE-1B-7B). Every layer is MoE: num_experts gated experts of
width intermediate_size (num_experts_per_tok per token, bias-free router, no shared
expert); q/k RMSNorms over the full projected width, as in OLMo 2 but placed like Llama's
norms. Attention is hidden_size wide (no head_dim key); attention_bias biases all four."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like, routed_experts

OLMOE_DEFAULTS = {key: value for key, value in LLAMA_DEFAULTS.items() if key != "head_dim"} | {
    "vocab_size": 50304,
    "hidden_size": 2048,
    "intermediate_size": 2048,
    "num_hidden_layers": 16,
    "num_attention_heads": 16,
    "max_position_embeddings": 4096,
    "num_experts": 64,
    "num_experts_per_tok": 8,
}
EXPERT_KEYS = {
    "n_expert": "num_experts",
    "n_expert_per_token": "num_experts_per_tok",
    "d_ff_expert": "intermediate_size",
}


def architecture(r: Reader) -> Architecture:
    return llama_like(
        r,
        OLMOE_DEFAULTS,
        **attention_bias(r, False),
        qk_norm="per_head",
        **routed_experts(r, EXPERT_KEYS, OLMOE_DEFAULTS),
    )
