"""gpt_oss: GptOssForCausalLM (gpt-oss-20b, -120b). Every layer is MoE: num_local_experts
gated experts of width intermediate_size (gate and up fused into one gate_up_proj), each
projection with a bias, num_experts_per_tok per token, a router with a bias. Attention has
a bias on W_Q, W_K, W_V and W_O (attention_bias, default true) and one learned sink logit
per query head. The experts_per_token key of the published files is an unused duplicate of
num_experts_per_tok; quantization_config (MXFP4) changes how weights are stored, not how
many there are."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, LOCAL_EXPERT_KEYS, attention_bias, llama_like, routed_experts

GPT_OSS_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 201088,
    "hidden_size": 2880,
    "intermediate_size": 2880,
    "num_hidden_layers": 36,
    "num_attention_heads": 64,
    "num_key_value_heads": 8,
    "head_dim": 64,
    "max_position_embeddings": 131072,
    "num_local_experts": 128,
    "num_experts_per_tok": 4,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(
        r,
        GPT_OSS_DEFAULTS,
        **attention_bias(r, True),
        attention_sinks=True,
        **routed_experts(r, LOCAL_EXPERT_KEYS, GPT_OSS_DEFAULTS),
        mlp_bias=True,
        router_bias=True,
    )
