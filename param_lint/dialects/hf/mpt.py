"""mpt: MptForCausalLM (MPT-7B, MPT-30B). transformers' MPT hard-codes most of the block:
multi-head attention with a fused, bias-free Wqkv (attn_config.attn_type and qk_ln are not
used), a bias-free MLP of width 4 * d_model (expansion_ratio is not used), LayerNorms with
a weight and no bias (no_bias is not used), ALiBi and no position matrix
(learned_pos_emb is not used). So only the widths, the vocabulary and tie_word_embeddings
(default true) decide the count. d_model, n_heads, n_layers may be written hidden_size,
num_attention_heads, num_hidden_layers."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import model_width_dimensions, read_bool


def architecture(r: Reader) -> Architecture:
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", 50368),
            "n_layer": (("n_layers", "num_hidden_layers"), 24),
            "d_model": (("d_model", "hidden_size"), 2048),
            "n_head": (("n_heads", "num_attention_heads"), 16),
            "n_context": ("max_seq_len", 2048),
        },
    )
    r.note("d_ff", "d_model")
    return Architecture(
        **dims,
        d_ff=4 * dims["d_model"],
        position_embedding="alibi",
        tie_embeddings=read_bool(r, "tie_word_embeddings", True, "tie_embeddings"),
        qkv_bias=False,
        out_bias=False,
        mlp_bias=False,
        norm_bias=False,
    )
