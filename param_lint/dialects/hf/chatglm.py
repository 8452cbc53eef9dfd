"""chatglm: ChatGLM2-6B, ChatGLM3-6B, CodeGeeX2-6B, remote code `ChatGLMForConditionalGeneration`
(auto_map -> modeling_chatglm; `architectures` says ChatGLMModel). An alias: architecturally
Qwen2 (see qwen2) under Megatron-style key names, counted as that model.

The keys are ChatGLMConfig's: `num_layers`, `padded_vocab_size` (the embedding and the
untied `output_layer`), `kv_channels` (d_head), `multi_query_attention` with
`multi_query_group_num` key/value heads (grouped-query attention), `ffn_hidden_size` (the
width of each of the two fused gated projections in dense_h_to_4h). The fused
query_key_value has a bias when `add_qkv_bias` or `add_bias_linear`; the output and MLP
projections when `add_bias_linear`. `rmsnorm` false means LayerNorms with biases;
`post_layer_norm` false, no final norm. The code never ties the output layer to the
embedding, whatever `tie_word_embeddings` says.

Not counted (PL102): ChatGLM-6B v1 (same model_type, another architecture: GLM blocks with
2-D positions, `inner_hidden_size`), a file quantized by its own code (`quantization_bit`),
P-tuning's prefix encoder (`pre_seq_len`), and GLM-4V-9B (`vision_config`: an EVA-CLIP
vision tower and adapter in the same remote code, which counting the text model alone would
leave out).
"""

from __future__ import annotations

from ...architecture import Architecture
from .. import CannotCount, Reader

# The supported family this remote-code type is (hf.aliases, the PL102 message).
ALIAS_OF = "qwen2"

# ChatGLMConfig's defaults (configuration_chatglm.py of chatglm2-6b).
CHATGLM_DEFAULTS = {
    "num_layers": 28,
    "padded_vocab_size": 65024,
    "hidden_size": 4096,
    "ffn_hidden_size": 13696,
    "kv_channels": 128,
    "num_attention_heads": 32,
    "rmsnorm": True,
    "post_layer_norm": True,
    "add_bias_linear": False,
    "add_qkv_bias": False,
    "multi_query_attention": False,
    "multi_query_group_num": 1,
}
_V1_KEYS = ("inner_hidden_size", "position_encoding_2d")


def architecture(r: Reader) -> Architecture:
    d = CHATGLM_DEFAULTS
    for key in _V1_KEYS:
        if key in r.data:
            raise CannotCount(
                r.path(key),
                f"ChatGLM-6B v1 (`{key}`) is not counted: only ChatGLM2/3 and GLM-4's layout "
                "(ffn_hidden_size, multi_query_attention) is known to param-lint",
            )
    not_counted = (
        ("quantization_bit", "quantized by its own code"),
        ("pre_seq_len", "a P-tuning prefix encoder"),
        ("vision_config", "GLM-4V's vision tower and adapter (remote code)"),
    )
    for key, what in not_counted:
        if r.data.get(key):
            value = r.data[key]
            shown = key if isinstance(value, dict) else f"{key} {value!r}"
            raise CannotCount(r.path(key), f"{shown}: {what}, which param-lint does not count")
    n_head = r.integer("num_attention_heads", d["num_attention_heads"], field="n_head", minimum=1)
    n_kv_head = n_head
    if r.boolean("multi_query_attention", d["multi_query_attention"], field="n_kv_head"):
        n_kv_head = r.integer("multi_query_group_num", d["multi_query_group_num"], field="n_kv_head", minimum=1)
    linear_bias = r.boolean("add_bias_linear", d["add_bias_linear"], field="out_bias")
    r.note("mlp_bias", "add_bias_linear")
    qkv_bias = r.boolean("add_qkv_bias", d["add_qkv_bias"], field="qkv_bias") or linear_bias
    rmsnorm = r.boolean("rmsnorm", d["rmsnorm"], field="norm")
    return Architecture(
        n_vocab=r.integer("padded_vocab_size", d["padded_vocab_size"], field="n_vocab", minimum=1),
        n_layer=r.integer("num_layers", d["num_layers"], field="n_layer", minimum=1),
        d_model=r.integer("hidden_size", d["hidden_size"], field="d_model", minimum=1),
        n_head=n_head,
        d_head=r.integer("kv_channels", d["kv_channels"], field="d_head", minimum=1),
        n_kv_head=n_kv_head,
        d_ff=r.integer("ffn_hidden_size", d["ffn_hidden_size"], field="d_ff", minimum=1),
        position_embedding="rotary",
        tie_embeddings=False,
        qkv_bias=qkv_bias,
        out_bias=linear_bias,
        mlp="gated",
        mlp_bias=linear_bias,
        norm="rmsnorm" if rmsnorm else "layernorm",
        final_norm=r.boolean("post_layer_norm", d["post_layer_norm"], field="final_norm"),
    )
