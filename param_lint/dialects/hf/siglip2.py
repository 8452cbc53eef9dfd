"""siglip2: Siglip2Model (Google SigLIP 2, NaFlex), a dual encoder: SigLIP's text tower, head
and logit scale and bias (siglip.py; Siglip2TextConfig has SiglipTextConfig's defaults) beside
the Siglip2 vision tower (towers.siglip2: a linear patch embedding, num_patches positions).
The fixed-resolution SigLIP 2 checkpoints are published as model_type siglip, not this.

Backed by configs of our own only (OWN_CONFIGS_ONLY): no verbatim published Siglip2Model config
has been found; its counts and tensor names are checked against transformers on
tests/hf/composite_own/siglip2/.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from . import siglip


def architecture(r: Reader) -> Architecture:
    return siglip.architecture(r, "Siglip2Model")


def parts(r: Reader) -> tuple[Part, ...]:
    return siglip.parts(r, "siglip2_vision_model")
