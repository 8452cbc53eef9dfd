"""bloom: BloomForCausalLM (BLOOM). ALiBi positions (no position matrix), a biased
LayerNorm right after the token embedding, fused query_key_value, biases on every linear
layer, a plain MLP of width 4 * hidden_size (no config key), tied embeddings by default.
hidden_size may be written n_embed; n_layer and n_head also num_hidden_layers and
num_attention_heads."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import model_width_dimensions, read_bool


def architecture(r: Reader) -> Architecture:
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", 250880),
            "n_layer": (("n_layer", "num_hidden_layers"), 2),
            "d_model": (("hidden_size", "n_embed"), 64),
            "n_head": (("n_head", "num_attention_heads"), 8),
        },
    )
    r.note("d_ff", "hidden_size")
    return Architecture(
        **dims,
        d_ff=4 * dims["d_model"],
        position_embedding="alibi",
        embedding_norm=True,
        tie_embeddings=read_bool(r, "tie_word_embeddings", True, "tie_embeddings"),
    )
