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
from .dual import text_architecture
from .encoders import Head, head_of

HEADS = {"CLIPTextModel": Head(), "CLIPTextModelWithProjection": Head()}


def architecture(r: Reader) -> Architecture:
    head_of(r, HEADS, "CLIPTextModel")
    return text_architecture(r, TEXT_DEFAULTS)


def parts(r: Reader) -> tuple[Part, ...]:
    if head_of(r, HEADS, "CLIPTextModel")[0] != "CLIPTextModelWithProjection":
        return ()
    width = r.integer("projection_dim", 512, minimum=1)
    projection = Linear("proj", architecture(r).d_model, width, bias=False)
    return (Part("head", LayerGroup("projection", (projection,))),)
