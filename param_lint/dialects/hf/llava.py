"""llava: LlavaForConditionalGeneration (LLaVA 1.5, Pixtral-12B, and many fine-tunes). Any
supported text model under text_config (llama by default), a CLIP, SigLIP or Pixtral vision
tower (vision_config's model_type, CLIP by default), and a two-layer projector whose input
is the vision width times the number of vision_feature_layer outputs it concatenates."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Linear, Part, Projector
from .. import Reader
from .common import truth
from .towers import feature_layers, text_model, vision_tower

# What LlavaConfig builds when the file has no vision_config (CLIP ViT-L/14 at 336 px).
ABSENT_VISION = {
    "hidden_size": 1024,
    "intermediate_size": 4096,
    "num_hidden_layers": 24,
    "patch_size": 14,
    "image_size": 336,
}


def architecture(r: Reader) -> Architecture:
    return text_model(r, "llama", absent={})


def projector(r: Reader, d_vision: int, d_text: int) -> Projector:
    bias = truth(r, "multimodal_projector_bias", True)  # nn.Linear(bias=None) has none
    n_feature = feature_layers(r, -2)
    return Projector((Linear("proj_1", d_vision * n_feature, d_text, bias), Linear("proj_2", d_text, d_text, bias)))


def parts(r: Reader) -> tuple[Part, ...]:
    vision = vision_tower(r, "clip_vision_model", absent=ABSENT_VISION)
    return (Part("vision", vision), Part("projector", projector(r, vision.d_model, architecture(r).d_model)))
