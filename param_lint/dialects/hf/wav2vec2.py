"""wav2vec2: Wav2Vec2Model and its task classes (wav2vec 2.0, and the speech encoders built on it).

The record is the transformer stack over audio frames (`token_embedding` false: no W_E and
no head over a vocabulary, as a standalone vision tower in vision.py): hidden_size wide,
biased attention and MLP, two LayerNorms a layer, and the encoder's LayerNorm, before the
layers (norm_E) or, with do_stable_layer_norm (pre-LN layers), after them (the final norm).
What reads the waveform is the `embeddings` part:

- the feature encoder: num_feat_extract_layers Conv1d layers (conv_dim channels, conv_kernel
  wide, 1 channel in at first), biased when conv_bias; feat_extract_norm "group" puts one
  GroupNorm (a weight and bias per channel) after the first, "layer" a LayerNorm after each;
- the feature projection: a LayerNorm over conv_dim[-1] and a biased dense to hidden_size;
- the masked-frame vector (masked_spec_embed) when mask_time_prob or mask_feature_prob > 0;
- the positional convolution: a grouped Conv1d of num_conv_pos_embeddings taps under weight
  normalisation, a magnitude per tap (weight_g, (1, 1, k)) and a direction (weight_v), biased.

`HEADS` per class: CTC's lm_head over vocab_size; sequence classification's projector to
classifier_proj_size and its classifier; frame classification's classifier; with
use_weighted_layer_sum a learned weight per hidden state (num_hidden_layers + 1); the
pre-training class's quantizer (codevectors and weight_proj) and its two projections.
The adapters (add_adapter, adapter_attn_dim) and the x-vector head cannot be counted yet.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Norm, Part, Weight
from .. import CannotCount, Reader
from .common import model_width_dimensions
from .encoders import Head, head_of, num_labels

HEADS = {
    "Wav2Vec2Model": Head(),
    "Wav2Vec2ForCTC": Head(lm_head=True),
    "Wav2Vec2ForSequenceClassification": Head(classifier="labels", dense=True),
    "Wav2Vec2ForAudioFrameClassification": Head(classifier="labels"),
    "Wav2Vec2ForPreTraining": Head(pooler=True),  # pooler: the quantizer and its projections
}


def stack(r: Reader, heads: dict[str, Head], default: str) -> Architecture:
    """The transformer stack under Wav2Vec2Config's keys (WavLM and its kin share them)."""
    head_of(r, heads, default)
    if r.boolean("add_adapter", False):
        raise CannotCount(r.path("add_adapter"), "cannot count the convolutional adapter (add_adapter) yet")
    if r.data.get("adapter_attn_dim") is not None:
        raise CannotCount(r.path("adapter_attn_dim"), "cannot count the attention adapters (adapter_attn_dim) yet")
    dims = model_width_dimensions(
        r,
        {
            "n_layer": ("num_hidden_layers", 12),
            "d_model": ("hidden_size", 768),
            "n_head": ("num_attention_heads", 12),
            "d_ff": ("intermediate_size", 3072),
        },
    )
    stable = r.boolean("do_stable_layer_norm", False)
    return Architecture(
        n_vocab=0,
        **dims,
        position_embedding="none",
        token_embedding=False,
        unembedding=False,
        tie_embeddings=False,
        embedding_norm=not stable,
        final_norm=stable,
    )


def _ints(r: Reader, key: str, default: list[int]) -> list[int]:
    values = r.sequence(key, default)
    if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values):
        r.fail(key, f"{key} must be a list of positive integers, got {values!r}")
    return list(values)


def front(r: Reader, d_model: int, projection_norm: bool = True, batch_norm: bool = False) -> tuple[Part, ...]:
    """The feature encoder, the feature projection, the masked-frame vector and the positional
    convolution: the `embeddings` part. HuBERT may drop the projection's LayerNorm
    (`projection_norm` false) and put a BatchNorm before a plain positional convolution in
    place of weight normalisation (`batch_norm`)."""
    n_conv = r.integer("num_feat_extract_layers", 7, minimum=1)
    dims = _ints(r, "conv_dim", [512] * 7)
    kernels = _ints(r, "conv_kernel", [10, 3, 3, 3, 3, 2, 2])
    if len(dims) < n_conv or len(kernels) < n_conv:
        r.fail("conv_dim", f"conv_dim and conv_kernel need num_feat_extract_layers ({n_conv}) entries")
    bias = r.boolean("conv_bias", False)
    norm = r.string("feat_extract_norm", "group", choices=("group", "layer"))
    layers: list[Linear | Norm | Weight] = []
    for j in range(n_conv):
        channels_in = dims[j - 1] if j else 1
        layers.append(Weight(f"W_conv{j}", (dims[j], channels_in, kernels[j])))
        if bias:
            layers.append(Weight(f"b_conv{j}", (dims[j],)))
        if norm == "layer" or j == 0:
            layers.append(Norm(f"norm_conv{j}", dims[j], "layernorm"))
    projection: tuple[Linear | Norm, ...] = (Linear("features", dims[n_conv - 1], d_model),)
    if projection_norm:
        projection = (Norm("norm_features", dims[n_conv - 1], "layernorm"), *projection)
    taps = r.integer("num_conv_pos_embeddings", 128, minimum=1)
    groups = r.integer("num_conv_pos_embedding_groups", 16, minimum=1)
    if d_model % groups:
        r.fail("num_conv_pos_embedding_groups", f"hidden_size ({d_model}) is not a multiple of {groups} groups")
    positions: tuple[Linear | Norm | Weight, ...] = (
        Weight("W_pos_g", (1, 1, taps)),
        Weight("W_pos_v", (d_model, d_model // groups, taps)),
        Weight("b_pos", (d_model,)),
    )
    if batch_norm:  # BatchNorm1d's weight and bias (its running statistics are buffers)
        positions = (
            Norm("norm_pos", d_model, "layernorm"),
            Weight("W_pos", (d_model, d_model // groups, taps)),
            Weight("b_pos", (d_model,)),
        )
    if r.number("mask_time_prob", 0.05) > 0 or r.number("mask_feature_prob", 0.0) > 0:
        positions += (Weight("masked", (d_model,)),)
    return (
        Part("embeddings", LayerGroup("feature encoder", tuple(layers), "embedding")),
        Part("embeddings", LayerGroup("feature projection", projection, "embedding")),
        Part("embeddings", LayerGroup("positional convolution", positions, "embedding")),
    )


def head_layers(r: Reader, head: Head, a: Architecture) -> tuple[Part, ...]:
    """The task head of `head` over the stack's output."""
    d = a.d_model
    layers: list[Linear | Norm | Weight] = []
    if head.classifier is not None and r.boolean("use_weighted_layer_sum", False):
        layers.append(Weight("layer_weights", (a.n_layer + 1,)))
    if head.lm_head:
        layers.append(Linear("ctc", d, r.integer("vocab_size", 32, minimum=1)))
    if head.classifier is not None and head.dense:
        width = r.integer("classifier_proj_size", 256, minimum=1)
        layers += [Linear("proj", d, width), Linear("cls", width, num_labels(r))]
    elif head.classifier is not None:
        layers.append(Linear("cls", d, num_labels(r)))
    if head.pooler:
        groups = r.integer("num_codevector_groups", 2, minimum=1)
        per_group = r.integer("num_codevectors_per_group", 320, minimum=1)
        d_code = r.integer("codevector_dim", 256, minimum=1)
        d_proj = r.integer("proj_codevector_dim", 256, minimum=1)
        d_features = _ints(r, "conv_dim", [512] * 7)[r.integer("num_feat_extract_layers", 7, minimum=1) - 1]
        layers += [
            Weight("codevectors", (1, groups * per_group, d_code // groups)),
            Linear("code_select", d_features, groups * per_group),
            Linear("proj_hidden", d, d_proj),
            Linear("proj_code", d_code, d_proj),
        ]
    return (Part("head", LayerGroup("head", tuple(layers))),) if layers else ()


def _head(r: Reader) -> Head:
    return head_of(r, HEADS, "Wav2Vec2ForPreTraining")[1]


def architecture(r: Reader) -> Architecture:
    return stack(r, HEADS, "Wav2Vec2ForPreTraining")


def parts(r: Reader) -> tuple[Part, ...]:
    a = architecture(r)
    return (*front(r, a.d_model), *head_layers(r, _head(r), a))
