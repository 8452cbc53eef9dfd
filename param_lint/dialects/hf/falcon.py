"""falcon: FalconForCausalLM (Falcon-7B/40B/180B, Falcon-RW). One fused query_key_value
whose width depends on the attention variant:
- new_decoder_architecture (40B, 180B): num_kv_heads key/value heads (grouped queries);
- else multi_query (7B): one key/value head;
- else: as many key/value heads as query heads.
bias switches every linear layer (default off); the MLP is plain, ffn_hidden_size wide
(null: 4 * hidden_size). LayerNorms with biases: a parallel block (parallel_attn) has one
per layer, or two (ln_attn, ln_mlp) when num_ln_in_parallel_attn is 2, which it is by
default with new_decoder_architecture; a sequential block has two. Rotary positions, or
ALiBi with alibi: neither has parameters. hidden_size may be written n_embed."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import model_width_dimensions, read_int, same_bias


def architecture(r: Reader) -> Architecture:
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", 65024),
            "n_layer": ("num_hidden_layers", 32),
            "d_model": (("hidden_size", "n_embed"), 4544),
            "n_head": ("num_attention_heads", 71),
            "n_context": ("max_position_embeddings", 2048),
        },
    )
    d_model, n_head = dims["d_model"], dims["n_head"]
    new_architecture = r.boolean("new_decoder_architecture", False, field="n_kv_head")
    if new_architecture:
        dims["n_kv_head"] = read_int(r, "num_kv_heads", n_head, "n_kv_head")
    elif r.boolean("multi_query", True, field="n_kv_head"):
        dims["n_kv_head"] = 1
    return Architecture(
        **dims,
        d_ff=read_int(r, "ffn_hidden_size", 4 * d_model, "d_ff"),
        position_embedding="alibi" if r.boolean("alibi", False, field="position_embedding") else "rotary",
        tie_embeddings=r.boolean("tie_word_embeddings", True, field="tie_embeddings"),
        **same_bias(r, "bias", False),
        norms_per_layer=falcon_norms_per_layer(r, new_architecture),
    )


def falcon_norms_per_layer(r: Reader, new_architecture: bool) -> int:
    if not r.boolean("parallel_attn", True, field="norms_per_layer"):
        return 2
    default = 2 if new_architecture else None
    return 2 if read_int(r, "num_ln_in_parallel_attn", default, "norms_per_layer") == 2 else 1
