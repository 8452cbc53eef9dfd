"""llava_next: LlavaNextForConditionalGeneration (LLaVA-NeXT / LLaVA-1.6, Granite Vision).
LLaVA's text model, vision tower and two-layer projector (llava.py), plus `image_newline`: one
learned vector of the text width, appended after each row of image features (part
`projector`, as tools/make_golden_composite.py files it). image_grid_pinpoints only decide how
an image is tiled at run time: no parameters.

Backed by configs of our own only (OWN_CONFIGS_ONLY): no verbatim published config of it has
been found (tests/hf/composite/README.md says what was searched); its counts and tensor names
are checked against transformers on tests/hf/composite_own/llava_next/."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Part, Weight
from .. import Reader
from . import llava


def architecture(r: Reader) -> Architecture:
    return llava.architecture(r)


def parts(r: Reader) -> tuple[Part, ...]:
    vision, projector = llava.parts(r)
    newline = LayerGroup("image newline", (Weight("image_newline", (architecture(r).d_model,)),), "projector")
    return (vision, projector, Part("projector", newline))
