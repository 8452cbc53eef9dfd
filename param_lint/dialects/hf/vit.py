"""vit: ViTModel and ViTForImageClassification (the Vision Transformer), a standalone tower.

Counted as described in vision.py: the stack (pre-LN blocks with qkv_bias on the query,
key and value projections, a biased output and plain MLP, a final LayerNorm) is the main
record, with one learned position per patch plus the [CLS] token; the patch embedding (a
biased patch_size x patch_size convolution) and [CLS] vector are the `embeddings` part.
ViTModel adds a pooler (hidden_size to pooler_output_size, hidden_size by default);
ViTForImageClassification leaves it out and adds a classifier over num_labels.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import EncoderStack, LayerGroup, Linear, Part
from .. import Reader
from .encoders import Head, head_of, num_labels
from .towers import square_patches
from .vision import heads_of, note_sources, stack_architecture, tower_parts

HEADS = {"ViTModel": Head(pooler=True), "ViTForImageClassification": Head(classifier="labels")}


def tower(r: Reader) -> EncoderStack:
    """ViTConfig's keys with its defaults: CLIP's layout with a biased patch embedding, no
    norm before the stack, and qkv_bias switching the query, key and value biases."""
    qkv_bias = r.boolean("qkv_bias", True, field="qkv_bias")
    return square_patches(r, 16, patch_bias=True, class_token=True, qkv_bias=qkv_bias, post_norm=True)


def architecture(r: Reader) -> Architecture:
    head_of(r, HEADS, "ViTModel")
    note_sources(r)
    return stack_architecture(tower(r), heads_of(r))


def parts(r: Reader) -> tuple[Part, ...]:
    head = head_of(r, HEADS, "ViTModel")[1]
    e = tower(r)
    layers = []
    if head.pooler:
        width = r.integer("pooler_output_size", e.d_model, minimum=1) if r.data.get("pooler_output_size") else e.d_model
        layers.append(Part("head", LayerGroup("pooler", (Linear("pool", e.d_model, width),))))
    if head.classifier is not None and num_labels(r) > 0:
        layers.append(Part("head", LayerGroup("classifier", (Linear("cls", e.d_model, num_labels(r)),))))
    return (*tower_parts(e), *layers)
