"""opt: OPTForCausalLM (OPT-125m ... 66B). Learned positions with 2 extra rows
(max_position_embeddings + 2), biases on every linear layer when enable_bias, LayerNorms
with weight and bias when layer_norm_elementwise_affine (none at all otherwise), and:
- word_embed_proj_dim != hidden_size (OPT-350m): tokens are embedded narrower and
  projected in and out by bias-free matrices; the lm_head is word_embed_proj_dim wide.
- do_layer_norm_before false (OPT-350m, post-norm): no final LayerNorm (nor with
  _remove_final_layer_norm)."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import model_width_dimensions, same_bias


def architecture(r: Reader) -> Architecture:
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", 50272),
            "n_layer": ("num_hidden_layers", 12),
            "d_model": ("hidden_size", 768),
            "n_head": ("num_attention_heads", 12),
            "d_ff": ("ffn_dim", 3072),
            "n_context": ("max_position_embeddings", 2048),
        },
    )
    d_model = dims["d_model"]
    d_embed = r.integer("word_embed_proj_dim", d_model, field="d_embed", minimum=1)
    pre_norm = r.boolean("do_layer_norm_before", True, field="final_norm")
    removed = r.boolean("_remove_final_layer_norm", False, field="final_norm")
    affine = r.boolean("layer_norm_elementwise_affine", True, field="norm")
    return Architecture(
        **dims,
        position_offset=2,
        d_embed=None if d_embed == d_model else d_embed,
        tie_embeddings=r.boolean("tie_word_embeddings", True, field="tie_embeddings"),
        **same_bias(r, "enable_bias", True),
        norm="layernorm" if affine else "none",
        final_norm=pre_norm and not removed,
    )
