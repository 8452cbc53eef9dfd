"""modernbert: ModernBertModel and its task classes (ModernBERT).

A pre-LN encoder: the word embedding and its LayerNorm, rotary positions (no weights),
fused Wqkv and Wo with attention_bias, a gated MLP (Wi is 2 x intermediate_size wide) with
mlp_bias, LayerNorms whose bias norm_bias switches (off by default), and a final norm.
The first layer has no attention norm (an Identity): the record counts the mlp_norm of
every layer and a part the attention norms of the other n_layer - 1. Every task class puts
a prediction head (a dense layer with classifier_bias and a LayerNorm) on top; the masked
LM adds the tied decoder with its bias (decoder_bias), the others a classifier.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Norm, Part
from .. import Reader
from .common import model_width_dimensions
from .encoders import Head, head_of, num_labels

HEADS = {
    "ModernBertModel": Head(),
    "ModernBertForMaskedLM": Head(mlm=True),
    "ModernBertForSequenceClassification": Head(classifier="labels"),
    "ModernBertForTokenClassification": Head(classifier="labels"),
    "ModernBertForQuestionAnswering": Head(classifier="labels"),
    "ModernBertForMultipleChoice": Head(classifier=1),
}


def _head(r: Reader) -> Head:
    return head_of(r, HEADS, "ModernBertForMaskedLM")[1]


def architecture(r: Reader) -> Architecture:
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", 50368),
            "n_layer": ("num_hidden_layers", 22),
            "d_model": ("hidden_size", 768),
            "n_head": ("num_attention_heads", 12),
            "d_ff": ("intermediate_size", 1152),
            "n_context": ("max_position_embeddings", 8192),
        },
    )
    mlm = _head(r).mlm
    attention_bias = r.boolean("attention_bias", False, field="qkv_bias")
    r.note("out_bias", "attention_bias")
    return Architecture(
        **dims,
        position_embedding="rotary",
        embedding_norm=True,
        tie_embeddings=r.boolean("tie_word_embeddings", True, field="tie_embeddings") or not mlm,
        lm_head_bias=mlm and r.boolean("decoder_bias", True, field="lm_head_bias"),
        qkv_bias=attention_bias,
        out_bias=attention_bias,
        mlp="gated",
        mlp_bias=r.boolean("mlp_bias", False, field="mlp_bias"),
        norm_bias=r.boolean("norm_bias", False, field="norm_bias"),
        norms_per_layer=1,
    )


def parts(r: Reader) -> tuple[Part, ...]:
    head, a = _head(r), architecture(r)
    d, bias = a.d_model, a.norm_bias
    parts: list[Part] = []
    if a.n_layer > 1:
        attention_norm = LayerGroup("attention norm", (Norm("norm_attn", d, "layernorm", bias),), "norm", a.n_layer - 1)
        parts.append(Part("encoder", attention_norm))
    if head.mlm or head.classifier is not None:
        dense = Linear("head", d, d, r.boolean("classifier_bias", False))
        layers: tuple[Linear | Norm, ...] = (dense, Norm("norm_head", d, "layernorm", bias))
        if head.classifier is not None:
            width = num_labels(r) if head.classifier == "labels" else int(head.classifier)
            layers += (Linear("cls", d, width),)
        parts.append(Part("head", LayerGroup("prediction head", layers)))
    return tuple(parts)
