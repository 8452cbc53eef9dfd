"""deepseek_v2: DeepseekV2ForCausalLM (DeepSeek-V2, -V2-Lite, -V2.5).

Multi-head latent attention: queries through a q_lora_rank latent (null: a full W_Q) and
keys/values through one kv_lora_rank latent plus a qk_rope_head_dim rotary key shared by
the heads; each head's query/key is qk_nope_head_dim + qk_rope_head_dim wide, its value
v_head_dim (num_key_value_heads plays no part). attention_bias sits on the two
down-projections and W_O. The first first_k_dense_replace layers keep a dense MLP of
width intermediate_size; the others have n_routed_experts gated experts of width
moe_intermediate_size (num_experts_per_tok per token, bias-free router; its class default
and what save_pretrained writes is null: every expert is built, the active count is unknown) and
n_shared_experts (null: none) always-active experts, fused into one MLP of width
n_shared_experts * moe_intermediate_size. mlp_bias puts biases on every MLP, experts too.
Defaults are transformers 4.57's (vocab_size 32000; 5.x says 102400).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like, read_int, routed_experts

DEEPSEEK_V2_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 32000,
    "max_position_embeddings": 2048,
    "q_lora_rank": 1536,
    "kv_lora_rank": 512,
    "qk_nope_head_dim": 128,
    "qk_rope_head_dim": 64,
    "v_head_dim": 128,
    "n_routed_experts": 64,
    "num_experts_per_tok": None,
    "moe_intermediate_size": 1407,
    "n_shared_experts": 2,
    "first_k_dense_replace": 0,
}
EXPERT_KEYS = {
    "n_expert": "n_routed_experts",
    "n_expert_per_token": "num_experts_per_tok",
    "d_ff_expert": "moe_intermediate_size",
}


def deepseek_like(r: Reader, defaults: Mapping[str, Any], *, null: bool = True, **fields: Any) -> Architecture:
    """Latent attention and DeepSeekMoE under DeepSeek's keys, with a version's defaults
    (`null`: whether num_experts_per_tok may be null, see routed_experts)."""
    n_layer = r.integer("num_hidden_layers", defaults["num_hidden_layers"], field="n_layer", minimum=1)
    experts = routed_experts(r, EXPERT_KEYS, defaults, null)
    n_shared = read_int(r, "n_shared_experts", defaults["n_shared_experts"], "d_ff_shared", minimum=0, null=0)
    n_dense = r.integer("first_k_dense_replace", defaults["first_k_dense_replace"], field="n_dense_layer")
    rope = r.integer("qk_rope_head_dim", defaults["qk_rope_head_dim"], field="d_head_rope")
    return llama_like(
        r,
        defaults,
        d_head=r.integer("qk_nope_head_dim", defaults["qk_nope_head_dim"], field="d_head") + rope,
        n_kv_head=r.integer("num_attention_heads", defaults["num_attention_heads"], field="n_head", minimum=1),
        d_head_rope=rope,
        d_head_v=r.integer("v_head_dim", defaults["v_head_dim"], field="d_head_v", minimum=1),
        q_lora_rank=read_int(r, "q_lora_rank", defaults["q_lora_rank"], "q_lora_rank", null=None),
        kv_lora_rank=r.integer("kv_lora_rank", defaults["kv_lora_rank"], field="kv_lora_rank", minimum=1),
        **attention_bias(r, False),
        **experts,
        d_ff_shared=n_shared * experts["d_ff_expert"],
        n_dense_layer=min(n_dense, n_layer),
        **fields,
    )


def architecture(r: Reader) -> Architecture:
    return deepseek_like(r, DEEPSEEK_V2_DEFAULTS, mlp_bias=r.boolean("mlp_bias", False, field="mlp_bias"))
