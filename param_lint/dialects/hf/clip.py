"""clip: CLIPModel (OpenAI CLIP and its fine-tunes), a dual encoder (dual.py).

The text tower under text_config (CLIPTextConfig: 49,408 tokens, 77 positions, 512 wide, 12
layers of 8 heads, 2048-wide MLP) is the model's record; the vision tower under
vision_config (CLIPVisionConfig, towers.clip: a [CLS] vector, bias-free patches, LayerNorms
before and after the stack) is the part `vision`; the part `head` holds the bias-free
visual_projection and text_projection to projection_dim and the scalar logit_scale.
Older files also carry text_config_dict and vision_config_dict: where one is given, CLIPConfig
builds that tower from it alone (text_config / vision_config only draw a warning), so it is
read instead.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Part, Weight
from .. import Reader
from .dual import model_class, text_tower
from .towers import TOWERS, tower_under

TEXT_DEFAULTS = {
    "vocab_size": 49408,
    "num_hidden_layers": 12,
    "hidden_size": 512,
    "num_attention_heads": 8,
    "intermediate_size": 2048,
    "max_position_embeddings": 77,
}


def config_key(r: Reader, tower: str) -> str:
    """Where CLIPConfig takes the `tower` ("text" or "vision") config from: {tower}_config_dict
    when the file gives one, else {tower}_config."""
    return f"{tower}_config_dict" if r.has(f"{tower}_config_dict") else f"{tower}_config"


def architecture(r: Reader) -> Architecture:
    model_class(r, "CLIPModel")
    return text_tower(r, TEXT_DEFAULTS, config_key(r, "text"))


def parts(r: Reader) -> tuple[Part, ...]:
    vision = tower_under(r, config_key(r, "vision"), "vision", TOWERS, "clip_vision_model", {})
    width = r.integer("projection_dim", 512, minimum=1)
    head = (
        Linear("proj_vision", vision.d_model, width, bias=False),
        Linear("proj_text", architecture(r).d_model, width, bias=False),
        Weight("logit_scale", ()),
    )
    return (Part("vision", vision), Part("head", LayerGroup("projections", head)))
