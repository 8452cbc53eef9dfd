"""siglip_vision_model: SiglipVisionModel, a standalone tower.

The SigLIP vision tower that Gemma 3 and PaliGemma nest under vision_config
(towers.siglip), counted as a model of its own (vision.py): the stack is the main record,
the patch embedding a part, and the attention-pooling head (unless vision_use_head is
false) a part.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .encoders import Head, head_of
from .towers import siglip
from .vision import heads_of, note_sources, stack_architecture, tower_parts

HEADS = {"SiglipVisionModel": Head()}


def architecture(r: Reader) -> Architecture:
    head_of(r, HEADS, "SiglipVisionModel")
    note_sources(r)
    return stack_architecture(siglip(r), heads_of(r))


def parts(r: Reader) -> tuple[Part, ...]:
    return tower_parts(siglip(r))
