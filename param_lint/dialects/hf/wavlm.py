"""wavlm: WavLMModel and its task classes (WavLM).

wav2vec 2.0's model (wav2vec2.py: the same feature encoder, positional convolution, stack
and heads) with gated relative position bias in the attention, as the `encoder` part: every
layer has a gate constant per head (gru_rel_pos_const, (1, n_head, 1, 1)) and a biased
dense from the head width to 8 gate logits (gru_rel_pos_linear); the first layer alone
holds the relative position table, num_buckets rows of one bias per head (rel_attn_embed).
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Part, Weight
from .. import Reader
from .encoders import Head, head_of
from .wav2vec2 import front, head_layers, stack

HEADS = {
    "WavLMModel": Head(),
    "WavLMForCTC": Head(lm_head=True),
    "WavLMForSequenceClassification": Head(classifier="labels", dense=True),
    "WavLMForAudioFrameClassification": Head(classifier="labels"),
}


def architecture(r: Reader) -> Architecture:
    return stack(r, HEADS, "WavLMModel")


def parts(r: Reader) -> tuple[Part, ...]:
    a = architecture(r)
    gates = (Weight("gate_const", (1, a.n_head, 1, 1)), Linear("gate", a.d_head, 8))
    buckets = r.integer("num_buckets", 320, minimum=1)
    relative = (Weight("R_bias", (buckets, a.n_head)),)
    return (
        *front(r, a.d_model),
        Part("encoder", LayerGroup("gated relative position bias", gates, "attention", a.n_layer)),
        Part("encoder", LayerGroup("relative positions", relative, "attention")),
        *head_layers(r, head_of(r, HEADS, "WavLMModel")[1], a),
    )
