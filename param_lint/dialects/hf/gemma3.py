"""gemma3: Gemma3ForConditionalGeneration (Gemma 3 4B/12B/27B). A gemma3_text model, a
SigLIP vision tower, and a projector: one RMSNorm over the vision width and a bare
(vision width, text width) matrix, no bias."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Norm, Part, Projector, Weight
from .. import Reader
from .towers import text_model, vision_tower


def architecture(r: Reader) -> Architecture:
    return text_model(r, "gemma3_text", absent={})


def parts(r: Reader) -> tuple[Part, ...]:
    vision = vision_tower(r, "siglip_vision_model", absent={})
    d_text = architecture(r).d_model
    projector = Projector((Norm("norm_mm", vision.d_model), Weight("W_mm", (vision.d_model, d_text))))
    return (Part("vision", vision), Part("projector", projector))
