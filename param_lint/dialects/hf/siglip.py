"""siglip: SiglipModel (Google SigLIP), a dual encoder (dual.py); siglip2.py reuses it.

The text tower under text_config (SiglipTextConfig: 32,000 tokens, 64 positions, 768 wide,
12 layers of 12 heads, 3072-wide MLP) is the model's record, plus its own head, a biased
(hidden_size, projection_size) linear (projection_size defaults to hidden_size); the vision
tower under vision_config (towers.siglip, with its attention-pooling head unless
vision_use_head is false) is the part `vision`; the part `head` holds the learned
logit_scale and logit_bias, one value each. SigLIP has no projections beyond the towers'
own heads.

Not registered: no verbatim published SiglipModel config has been found yet (tests/hf/
composite/README.md says what was searched); its counts are checked against transformers on
configs of our own (tests/hf/composite_own/siglip/).
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Part, Weight
from .. import Reader
from .dual import model_class, text_reader, text_tower
from .towers import vision_tower

TEXT_DEFAULTS = {
    "vocab_size": 32000,
    "num_hidden_layers": 12,
    "hidden_size": 768,
    "num_attention_heads": 12,
    "intermediate_size": 3072,
    "max_position_embeddings": 64,
}


def architecture(r: Reader, class_name: str = "SiglipModel") -> Architecture:
    model_class(r, class_name)
    return text_tower(r, TEXT_DEFAULTS)


def parts(r: Reader, tower_type: str = "siglip_vision_model") -> tuple[Part, ...]:
    """The text tower's head, the vision tower (`tower_type` when vision_config names none)
    and the logit scale and bias."""
    d_text = text_tower(r, TEXT_DEFAULTS).d_model
    text = text_reader(r)
    width = text.integer("projection_size", d_text, minimum=1) if text.has("projection_size") else d_text
    text_head = LayerGroup("text head", (Linear("text_head", d_text, width),))
    vision = vision_tower(r, tower_type, absent={})
    logits = LayerGroup("logit scale and bias", (Weight("logit_scale", (1,)), Weight("logit_bias", (1,))))
    return (Part("text", text_head), Part("vision", vision), Part("head", logits))
