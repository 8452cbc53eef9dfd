"""clip_text_model: CLIPTextModel and CLIPTextModelWithProjection, a standalone text tower.

CLIPModel's text tower (clip.py, dual.py: token embedding, learned positions, pre-LN blocks
with biases everywhere, a final LayerNorm, no head over the vocabulary) counted as a model
of its own, its keys at the top level (Stable Diffusion's text_encoder);
CLIPTextModelWithProjection adds a bias-free text_projection to projection_dim.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Part
from .. import Reader
from .clip import TEXT_DEFAULTS
from .common import model_width_dimensions
from .encoders import Head, head_of

HEADS = {"CLIPTextModel": Head(), "CLIPTextModelWithProjection": Head()}


def architecture(r: Reader) -> Architecture:
    head_of(r, HEADS, "CLIPTextModel")
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", TEXT_DEFAULTS["vocab_size"]),
            "n_layer": ("num_hidden_layers", TEXT_DEFAULTS["num_hidden_layers"]),
            "d_model": ("hidden_size", TEXT_DEFAULTS["hidden_size"]),
            "n_head": ("num_attention_heads", TEXT_DEFAULTS["num_attention_heads"]),
            "d_ff": ("intermediate_size", TEXT_DEFAULTS["intermediate_size"]),
            "n_context": ("max_position_embeddings", TEXT_DEFAULTS["max_position_embeddings"]),
        },
    )
    return Architecture(**dims, unembedding=False, final_norm=True)


def parts(r: Reader) -> tuple[Part, ...]:
    if head_of(r, HEADS, "CLIPTextModel")[0] != "CLIPTextModelWithProjection":
        return ()
    width = r.integer("projection_dim", 512, minimum=1)
    projection = Linear("proj", architecture(r).d_model, width, bias=False)
    return (Part("head", LayerGroup("projection", (projection,))),)
