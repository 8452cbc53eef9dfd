"""qwen: Qwen v1 (Qwen-1.8B/7B/14B/72B and their -Chat), remote code `QWenLMHeadModel`
(auto_map -> modeling_qwen.QWenLMHeadModel). An alias: architecturally Qwen2 (see qwen2)
under other key names, counted as that model.

The keys are QWenConfig's: `kv_channels` is d_head; `intermediate_size` is *twice* the
width of each MLP projection (modeling_qwen builds w1, w2 and c_proj `intermediate_size // 2`
wide); the fused c_attn (W_Q, W_K, W_V) always has a bias, while `no_bias` (default true)
switches the biases of c_proj and the MLP. Every head has its own keys and values. The
code splits c_attn's output in `hidden_size` chunks, so it runs only when
num_attention_heads * kv_channels is hidden_size.
"""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader

# QWenConfig's defaults (configuration_qwen.py).
QWEN_DEFAULTS = {
    "vocab_size": 151936,
    "hidden_size": 4096,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "kv_channels": 128,
    "intermediate_size": 22016,
    "no_bias": True,
    "tie_word_embeddings": False,
    "max_position_embeddings": 8192,
}

# The supported family this remote-code type is (hf.aliases, the PL102 message).
ALIAS_OF = "qwen2"


def architecture(r: Reader) -> Architecture:
    d = QWEN_DEFAULTS
    d_model = r.integer("hidden_size", d["hidden_size"], field="d_model", minimum=1)
    n_head = r.integer("num_attention_heads", d["num_attention_heads"], field="n_head", minimum=1)
    d_head = r.integer("kv_channels", d["kv_channels"], field="d_head", minimum=1)
    if n_head * d_head != d_model:
        r.fail(
            "kv_channels",
            f"num_attention_heads x kv_channels ({n_head} x {d_head}) must equal hidden_size ({d_model}): "
            "modeling_qwen splits the fused attention output in hidden_size parts",
        )
    intermediate = r.integer("intermediate_size", d["intermediate_size"], field="d_ff", minimum=2)
    no_bias = r.boolean("no_bias", d["no_bias"], field="out_bias")
    r.note("mlp_bias", "no_bias")
    return Architecture(
        n_vocab=r.integer("vocab_size", d["vocab_size"], field="n_vocab", minimum=1),
        n_layer=r.integer("num_hidden_layers", d["num_hidden_layers"], field="n_layer", minimum=1),
        d_model=d_model,
        n_head=n_head,
        d_head=d_head,
        n_kv_head=n_head,
        d_ff=intermediate // 2,
        n_context=r.integer("max_position_embeddings", d["max_position_embeddings"], field="n_context"),
        position_embedding="rotary",
        tie_embeddings=r.boolean("tie_word_embeddings", d["tie_word_embeddings"], field="tie_embeddings"),
        qkv_bias=True,
        out_bias=not no_bias,
        mlp="gated",
        mlp_bias=not no_bias,
        norm="rmsnorm",
    )
