"""yolos: YolosForObjectDetection and YolosModel (YOLOS, a ViT that detects objects).

ViT's tower (vit.py, vision.py) over an image image_size = [height, width] (an int: square),
whose sequence is [CLS], the patches ((height // patch_size) * (width // patch_size)) and
num_detection_tokens learned detection tokens, each with a learned position; the detection
tokens are an `embeddings` part beside the patch embedding and [CLS]. With
use_mid_position_embeddings every layer after the first adds its own position table
(num_hidden_layers - 1 of them, 1 + height * width // patch_size**2 + detection tokens
rows). YolosModel ends in a pooler; YolosForObjectDetection leaves it out and reads the
detection tokens with two three-layer MLPs: the class logits (num_labels + 1: "no object")
and the four box coordinates.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import EncoderStack, LayerGroup, Linear, Part, Weight
from .. import Reader
from .encoders import Head, head_of, num_labels
from .towers import VIT_KEYS, positive_ints, vit_stack
from .vision import heads_of, note_sources, stack_architecture, tower_parts

HEADS = {"YolosModel": Head(pooler=True), "YolosForObjectDetection": Head(classifier="labels")}


def _image(r: Reader) -> tuple[int, int]:
    value = r.data.get("image_size", [512, 864])
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value, value]
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and v > 0 for v in value)):
        r.fail("image_size", f"image_size must be [height, width] or one positive integer, got {value!r}")
    return value[0], value[1]


def tower(r: Reader) -> EncoderStack:
    """YolosConfig's keys with its defaults: ViT's layout with the detection tokens' positions."""
    k = positive_ints(r, VIT_KEYS | {"hidden_size": 768, "patch_size": 16})
    height, width = _image(r)
    patches = (height // k["patch_size"]) * (width // k["patch_size"])
    detections = r.integer("num_detection_tokens", 100)
    qkv_bias = r.boolean("qkv_bias", True, field="qkv_bias")
    return vit_stack(k, 1 + patches + detections, patch_bias=True, class_token=True, qkv_bias=qkv_bias, post_norm=True)


def architecture(r: Reader) -> Architecture:
    head_of(r, HEADS, "YolosForObjectDetection")
    note_sources(r)
    return stack_architecture(tower(r), heads_of(r))


def parts(r: Reader) -> tuple[Part, ...]:
    head = head_of(r, HEADS, "YolosForObjectDetection")[1]
    e = tower(r)
    d = e.d_model
    detections = r.integer("num_detection_tokens", 100)
    parts = [
        *tower_parts(e),
        Part("embeddings", LayerGroup("detection tokens", (Weight("det", (detections, d)),), "embedding")),
    ]
    if r.boolean("use_mid_position_embeddings", True) and e.n_layer > 1:
        height, width = _image(r)
        rows = 1 + height * width // e.patch[0] ** 2 + detections
        mid = Weight("W_P_mid", (e.n_layer - 1, 1, rows, d))  # one tensor for all the later layers
        parts.append(Part("encoder", LayerGroup("mid positions", (mid,), "embedding")))
    if head.pooler:
        parts.append(Part("head", LayerGroup("pooler", (Linear("pool", d, d),))))
    if head.classifier is not None:
        for name, width in (("class", num_labels(r) + 1), ("box", 4)):
            mlp = (Linear(f"{name}_1", d, d), Linear(f"{name}_2", d, d), Linear(f"{name}_3", d, width))
            parts.append(Part("head", LayerGroup(f"{name} MLP", mlp)))
    return tuple(parts)
