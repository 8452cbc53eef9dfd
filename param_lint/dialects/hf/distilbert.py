"""distilbert: DistilBertModel and its task classes (DistilBERT).

BERT's encoder without token types or pooler, under DistilBertConfig's keys (dim, n_layers,
n_heads, hidden_dim, with their BERT-style aliases). The position matrix is a parameter
even when sinusoidal_pos_embds fills it with fixed values, so it counts either way. The MLM
head is vocab_transform + vocab_layer_norm and a vocab_projector tied to W_E with its bias;
the sequence classifier puts a (d, d) pre_classifier before the labels.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .common import model_width_dimensions
from .encoders import Head, encoder, head_of, head_parts

HEADS = {
    "DistilBertModel": Head(),
    "DistilBertForMaskedLM": Head(mlm=True),
    "DistilBertForSequenceClassification": Head(classifier="labels", dense=True),
    "DistilBertForMultipleChoice": Head(classifier=1, dense=True),
    "DistilBertForTokenClassification": Head(classifier="labels"),
    "DistilBertForQuestionAnswering": Head(classifier="labels"),
}


def _head(r: Reader) -> Head:
    return head_of(r, HEADS, "DistilBertForMaskedLM")[1]


def architecture(r: Reader) -> Architecture:
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", 30522),
            "n_layer": (("n_layers", "num_hidden_layers"), 6),
            "d_model": (("dim", "hidden_size"), 768),
            "n_head": (("n_heads", "num_attention_heads"), 12),
            "d_ff": (("hidden_dim", "intermediate_size"), 3072),
            "n_context": ("max_position_embeddings", 512),
        },
    )
    return encoder(r, dims, _head(r).mlm)


def parts(r: Reader) -> tuple[Part, ...]:
    return head_parts(r, _head(r), architecture(r).d_model)
