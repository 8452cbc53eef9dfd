"""clip_vision_model: CLIPVisionModel and CLIPVisionModelWithProjection, a standalone tower.

The CLIP vision tower that LLaVA-style configs nest under vision_config (towers.clip),
counted as a model of its own (vision.py): the stack is the main record, the patch
embedding and [CLS] vector a part; CLIPVisionModelWithProjection adds a bias-free
visual_projection to projection_dim.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Part
from .. import Reader
from .encoders import Head, head_of
from .towers import clip
from .vision import heads_of, note_sources, stack_architecture, tower_parts

HEADS = {"CLIPVisionModel": Head(), "CLIPVisionModelWithProjection": Head()}


def architecture(r: Reader) -> Architecture:
    head_of(r, HEADS, "CLIPVisionModel")
    note_sources(r)
    return stack_architecture(clip(r), heads_of(r))


def parts(r: Reader) -> tuple[Part, ...]:
    tower = clip(r)
    parts = tower_parts(tower)
    if head_of(r, HEADS, "CLIPVisionModel")[0] == "CLIPVisionModelWithProjection":
        width = r.integer("projection_dim", 512, minimum=1)
        parts += (Part("head", LayerGroup("projection", (Linear("proj", tower.d_model, width, bias=False),))),)
    return parts
