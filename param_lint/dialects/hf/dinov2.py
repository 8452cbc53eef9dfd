"""dinov2: Dinov2Model and Dinov2ForImageClassification (DINOv2), a standalone vision tower.

ViT's layout (vit.py, vision.py): a biased patch_size x patch_size patch embedding, a
[CLS] vector and one learned position per patch plus [CLS] (image_size // patch_size
squared), pre-LN blocks with qkv_bias on the query, key and value projections, a final
LayerNorm. DINOv2 adds what the stack has no field for as parts: two LayerScale vectors a
layer (lambda1 after attention, lambda2 after the MLP) and the mask token when
use_mask_token. The MLP is hidden_size * mlp_ratio wide, or with use_swiglu_ffn a gated
SwiGLU of (int(that * 2 / 3) + 7) // 8 * 8. Dinov2Model has no pooler;
Dinov2ForImageClassification's classifier reads [CLS] and the mean patch token (2 * d_model).
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import EncoderStack, LayerGroup, Linear, Part, Weight
from .. import Reader
from .encoders import Head, head_of, num_labels
from .towers import VIT_KEYS, positive_ints, vit_stack
from .vision import heads_of, note_sources, stack_architecture, tower_parts

HEADS = {"Dinov2Model": Head(), "Dinov2ForImageClassification": Head(classifier="labels")}


def tower(r: Reader) -> EncoderStack:
    """Dinov2Config's keys with its defaults (no intermediate_size: mlp_ratio sets the MLP)."""
    keys = {key: default for key, default in VIT_KEYS.items() if key != "intermediate_size"}
    k = positive_ints(r, keys | {"image_size": 224, "patch_size": 14})
    ratio = r.number("mlp_ratio", 4)
    d_ff = int(k["hidden_size"] * ratio)
    swiglu = r.boolean("use_swiglu_ffn", False)
    if swiglu:
        d_ff = (int(d_ff * 2 / 3) + 7) // 8 * 8
    k["intermediate_size"] = d_ff
    qkv_bias = r.boolean("qkv_bias", True, field="qkv_bias")
    patches = (k["image_size"] // k["patch_size"]) ** 2
    return vit_stack(
        k,
        patches + 1,
        patch_bias=True,
        class_token=True,
        qkv_bias=qkv_bias,
        post_norm=True,
        mlp="gated" if swiglu else "standard",
    )


def architecture(r: Reader) -> Architecture:
    head_of(r, HEADS, "Dinov2Model")
    note_sources(r)
    return stack_architecture(tower(r), heads_of(r, 12))


def parts(r: Reader) -> tuple[Part, ...]:
    head = head_of(r, HEADS, "Dinov2Model")[1]
    e = tower(r)
    d = e.d_model
    parts = list(tower_parts(e))
    if r.boolean("use_mask_token", True):
        parts.append(Part("embeddings", LayerGroup("mask token", (Weight("mask", (1, d)),), "embedding")))
    scales = (Weight("scale_1", (d,)), Weight("scale_2", (d,)))
    parts.append(Part("encoder", LayerGroup("layer scale", scales, "norm", e.n_layer)))
    if head.classifier is not None and num_labels(r) > 0:
        parts.append(Part("head", LayerGroup("classifier", (Linear("cls", 2 * d, num_labels(r)),))))
    return tuple(parts)
