"""lfm2: Lfm2ForCausalLM (Liquid AI LFM2, LFM2.5). layer_types (else full_attn_idxs, else
every layer attention) says which layers have attention (no biases, head-wide q/k RMSNorms,
head_dim if the file gives one, else hidden_size / num_attention_heads) and which LFM2's
gated short convolution (in_proj to 3 x hidden_size, a depthwise conv of conv_L_cache taps,
out_proj; conv_bias on all three). Every layer has a gated MLP and two RMSNorms; the final
norm is called embedding_norm. The MLP width: block_ff_dim, else intermediate_size; with
block_auto_adjust_ff_dim (default) int(2/3 of it), and with block_ffn_dim_multiplier
(default 1.0) int(multiplier x that) rounded up to block_multiple_of (256). tie_embedding,
else tie_word_embeddings (default true), ties the unembedding."""

from __future__ import annotations

from typing import Any

from ...architecture import Architecture, Mixer, ShortConv
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like
from .ssm import layer_types, stack

LFM2_DEFAULTS = LLAMA_DEFAULTS | {
    "vocab_size": 65536,
    "hidden_size": 2560,
    "intermediate_size": 12288,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "max_position_embeddings": 128000,
    "tie_word_embeddings": True,
}


def mlp_width(r: Reader) -> int:
    """Lfm2MLP's width rule (see the module docstring)."""
    key = "block_ff_dim" if r.has("block_ff_dim") else "intermediate_size"
    width: Any = r.integer(key, LFM2_DEFAULTS["intermediate_size"], field="d_ff", minimum=1)
    if r.boolean("block_auto_adjust_ff_dim", True, field="d_ff"):
        width = int(2 * width / 3)
        multiplier = r.data.get("block_ffn_dim_multiplier", 1.0)
        if multiplier is not None:
            multiplier = r.number("block_ffn_dim_multiplier", 1.0, field="d_ff")
            multiple = r.integer("block_multiple_of", 256, field="d_ff", minimum=1)
            width = int(multiplier * width)
            width = multiple * ((width + multiple - 1) // multiple)
    if width < 1:
        r.fail(key, f"{key} gives an MLP of width {width}")
    return int(width)


def architecture(r: Reader) -> Architecture:
    n_layer = r.integer("num_hidden_layers", LFM2_DEFAULTS["num_hidden_layers"], field="n_layer", minimum=1)
    full = r.sequence("full_attn_idxs", field="layers") if r.has("full_attn_idxs") else list(range(n_layer))
    default = ["full_attention" if i in full else "conv" for i in range(n_layer)]
    types = layer_types(r, n_layer, ("conv", "full_attention"), default)
    conv = ShortConv(
        d_conv=r.integer("conv_L_cache", 3, field="layers", minimum=1),
        bias=r.boolean("conv_bias", False, field="layers"),
    )
    pattern = []
    for kind in types:
        mixer: Mixer = "attention" if kind == "full_attention" else conv
        pattern.append(((mixer,), "dense", 2))
    fields: dict[str, Any] = {
        "d_ff": mlp_width(r),
        "qk_norm": "head",
        "layers": stack(pattern),
    }
    if r.has("tie_embedding"):
        fields["tie_embeddings"] = r.boolean("tie_embedding", True, field="tie_embeddings")
    if r.has("head_dim"):
        fields["d_head"] = r.integer("head_dim", field="d_head", minimum=1)
    return llama_like(r, LFM2_DEFAULTS, **fields)
