"""mistral3: Mistral3ForConditionalGeneration (Mistral Small 3.1/3.2, Magistral, Devstral).
A mistral text model, a Pixtral vision tower, and a projector: an RMSNorm, a patch merger
(spatial_merge_size² patches into one, no bias) and two linear layers (bias per
multimodal_projector_bias, false by default).

The text model's own tie_word_embeddings decides tying (false for mistral), as in
transformers 4.57 and as the published checkpoints hold; transformers 5 ties lm_head
whenever the file omits a top-level tie_word_embeddings (tests/hf/composite/README.md).
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Linear, Norm, Part, Projector
from .. import Reader
from .towers import feature_layers, text_model, vision_tower

# What Mistral3Config builds when the file has no vision_config.
ABSENT_VISION = {"hidden_size": 1024, "intermediate_size": 4096, "num_hidden_layers": 24, "patch_size": 14}


def architecture(r: Reader) -> Architecture:
    return text_model(r, "mistral", absent={})


def parts(r: Reader) -> tuple[Part, ...]:
    vision = vision_tower(r, "pixtral", absent=ABSENT_VISION)
    d_vision, d_text = vision.d_model, architecture(r).d_model
    merge = r.integer("spatial_merge_size", 2, minimum=1)
    bias = r.boolean("multimodal_projector_bias", False)
    projector = Projector(
        (
            Norm("norm", d_vision),
            Linear("merge", d_vision * merge * merge, d_vision, bias=False),
            Linear("proj_1", d_vision * feature_layers(r, -1), d_text, bias),
            Linear("proj_2", d_text, d_text, bias),
        )
    )
    return (Part("vision", vision), Part("projector", projector))
