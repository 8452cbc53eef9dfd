"""dbrx: DbrxForCausalLM (DBRX Base / Instruct). Its own key names: d_model, n_heads,
n_layers, max_seq_len, and two nested mappings, attn_config (kv_n_heads) and ffn_config
(ffn_hidden_size, moe_num_experts, moe_top_k). Attention is d_model wide with one fused,
bias-free Wqkv; LayerNorms have a weight but no bias; every layer is MoE with gated experts
(w1, v1, w2) and a bias-free router, no shared expert. The head is never tied."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import model_width_dimensions, routed_experts

DBRX_FFN_DEFAULTS = {"ffn_hidden_size": 3584, "moe_num_experts": 4, "moe_top_k": 1}
EXPERT_KEYS = {"n_expert": "moe_num_experts", "n_expert_per_token": "moe_top_k", "d_ff_expert": "ffn_hidden_size"}


def architecture(r: Reader) -> Architecture:
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", 32000),
            "n_layer": (("n_layers", "num_hidden_layers"), 24),
            "d_model": (("d_model", "hidden_size"), 2048),
            "n_head": (("n_heads", "num_attention_heads"), 16),
            "n_context": (("max_seq_len", "max_position_embeddings"), 2048),
        },
    )
    if r.boolean("tie_word_embeddings", False, field="tie_embeddings"):
        r.fail("tie_word_embeddings", "DBRX cannot tie its embeddings (transformers refuses tie_word_embeddings)")
    attn, ffn = r.mapping("attn_config"), r.mapping("ffn_config")
    experts = routed_experts(ffn, EXPERT_KEYS, DBRX_FFN_DEFAULTS)
    return Architecture(
        **dims | {"n_kv_head": attn.integer("kv_n_heads", 1, field="n_kv_head", minimum=1)},
        d_ff=experts["d_ff_expert"],
        **experts,
        position_embedding="rotary",
        tie_embeddings=False,
        qkv_bias=False,
        out_bias=False,
        mlp="gated",
        mlp_bias=False,
        norm_bias=False,
    )
