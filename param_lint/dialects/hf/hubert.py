"""hubert: HubertModel and its task classes (HuBERT, and the speech encoders built on it).

wav2vec 2.0's encoder (wav2vec2.py: the same feature encoder, positional convolution, stack
and CTC / sequence-classification heads) without the quantizer and pre-training heads, and
two switches of its own: feat_proj_layer_norm (default true) keeps the feature projection's
LayerNorm, and conv_pos_batch_norm (default false) puts a BatchNorm1d (a weight and bias per
channel) before the positional convolution in place of weight normalisation.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .encoders import Head, head_of
from .wav2vec2 import front, head_layers, stack

HEADS = {
    "HubertModel": Head(),
    "HubertForCTC": Head(lm_head=True),
    "HubertForSequenceClassification": Head(classifier="labels", dense=True),
}


def architecture(r: Reader) -> Architecture:
    return stack(r, HEADS, "HubertModel")


def parts(r: Reader) -> tuple[Part, ...]:
    a = architecture(r)
    projection_norm = r.boolean("feat_proj_layer_norm", True)
    batch_norm = r.boolean("conv_pos_batch_norm", False)
    return (
        *front(r, a.d_model, projection_norm=projection_norm, batch_norm=batch_norm),
        *head_layers(r, head_of(r, HEADS, "HubertModel")[1], a),
    )
