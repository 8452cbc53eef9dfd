"""mobilebert: MobileBertModel and its task classes (MobileBERT).

A BERT encoder whose blocks run narrower than the stream between them. The record is the
inner block: attention and MLP true_hidden_size wide (intra_bottleneck_size when
use_bottleneck, else hidden_size), with its two norms (after attention, after the MLP);
the word embedding is embedding_size wide (equal to the inner width in every published
MobileBERT; another width cannot be counted yet). What surrounds it is parts:

- `embeddings`: trigram_input concatenates each token with its neighbours (3 x
  embedding_size) before a biased embedding_transformation to hidden_size; positions and
  token types are hidden_size wide; then a norm of hidden_size.
- `encoder`, per layer: with use_bottleneck, the input bottleneck (hidden_size down to
  intra_bottleneck_size and a norm), a second one for queries and keys when
  key_query_shared_bottleneck, and the output bottleneck back up to hidden_size with a norm;
  W_V reads hidden_size (the inner width with use_bottleneck_attention), so it is counted
  here rather than in the attention; and num_feedforward_networks - 1 further stacked MLPs,
  each with its norm (one section per stacked MLP).
- `head`: the pooler's dense only when classifier_activation (MobileBertModel, the
  pre-training, next-sentence, sequence-classification and multiple-choice classes build a
  pooler); the MLM transform (a dense and a LayerNorm, hidden_size wide), then a bias-free
  (n_vocab, hidden_size - embedding_size) dense that widens the tied decoder, and its bias.

normalization_type no_norm (NoNorm: an elementwise weight and bias) counts as a LayerNorm.
"""

from __future__ import annotations

from ...architecture import Architecture, Attention, Layers
from ...parts import LayerGroup, Linear, Norm, Part, Weight
from .. import CannotCount, Reader
from .common import read_ints
from .encoders import Head, head_of, num_labels

HEADS = {
    "MobileBertModel": Head(pooler=True),
    "MobileBertForMaskedLM": Head(mlm=True),
    "MobileBertForPreTraining": Head(pooler=True, mlm=True, classifier=2),
    "MobileBertForNextSentencePrediction": Head(pooler=True, classifier=2),
    "MobileBertForSequenceClassification": Head(pooler=True, classifier="labels"),
    "MobileBertForMultipleChoice": Head(pooler=True, classifier=1),
    "MobileBertForTokenClassification": Head(classifier="labels"),
    "MobileBertForQuestionAnswering": Head(classifier="labels"),
}


def _head(r: Reader) -> Head:
    return head_of(r, HEADS, "MobileBertForPreTraining")[1]


def _widths(r: Reader) -> dict[str, int]:
    w = {
        "hidden": r.integer("hidden_size", 512, minimum=1),
        "embed": r.integer("embedding_size", 128, minimum=1),
        "bottleneck": r.integer("intra_bottleneck_size", 128, minimum=1),
    }
    w["inner"] = w["bottleneck"] if r.boolean("use_bottleneck", True) else w["hidden"]
    return w


def architecture(r: Reader) -> Architecture:
    dims = read_ints(
        r,
        {
            "n_vocab": ("vocab_size", 30522),
            "n_layer": ("num_hidden_layers", 24),
            "n_head": ("num_attention_heads", 4),
            "d_ff": ("intermediate_size", 512),
            "n_context": ("max_position_embeddings", 512),
        },
    )
    w = _widths(r)
    if w["embed"] != w["inner"]:
        raise CannotCount(
            r.path("embedding_size"), "cannot count a MobileBERT embedding_size other than its inner width yet"
        )
    n_head = dims["n_head"]
    d_head = w["inner"] // n_head
    attention = Attention(d_head, n_head, values=False)
    return Architecture(
        **dims,
        d_model=w["inner"],
        d_head=d_head,
        n_kv_head=n_head,
        position_embedding="none",
        tie_embeddings=True,
        lm_head_bias=_head(r).mlm,
        unembedding=_head(r).mlm,
        final_norm=False,
        layers=(Layers(dims["n_layer"], (attention,)),),
    )


def parts(r: Reader) -> tuple[Part, ...]:
    head, a, w = _head(r), architecture(r), _widths(r)
    hidden, inner, bottleneck = w["hidden"], w["inner"], w["bottleneck"]
    n_type = r.integer("type_vocab_size", 2, minimum=1)
    n_in = w["embed"] * (3 if r.boolean("trigram_input", True) else 1)
    embed: tuple[Linear | Norm | Weight, ...] = (
        Weight("W_P", (a.n_context, hidden)),
        Weight("W_T", (n_type, hidden)),
        Linear("embed", n_in, hidden),
        Norm("norm_embed", hidden, "layernorm"),
    )
    value_in = inner if r.boolean("use_bottleneck_attention", False) else hidden
    layer: tuple[Linear | Norm | Weight, ...] = (Linear("V", value_in, a.n_head * a.d_head),)
    if r.boolean("use_bottleneck", True):
        layer += (Linear("in", hidden, bottleneck), Norm("norm_in", bottleneck, "layernorm"))
        if r.boolean("key_query_shared_bottleneck", True):
            layer += (Linear("in_QK", hidden, bottleneck), Norm("norm_in_QK", bottleneck, "layernorm"))
        layer += (Linear("out", inner, hidden), Norm("norm_out", hidden, "layernorm"))
    parts = [
        Part("embeddings", LayerGroup("embeddings", embed, "embedding")),
        Part("encoder", LayerGroup("bottlenecks", layer, "attention", a.n_layer)),
    ]
    ffn = (Linear("ffn_1", inner, a.d_ff), Linear("ffn_2", a.d_ff, inner), Norm("norm_ffn", inner, "layernorm"))
    for index in range(1, r.integer("num_feedforward_networks", 4, minimum=1)):  # one section each: layer.{i}.ffn.{j}
        parts.append(Part("encoder", LayerGroup(f"stacked MLP {index}", ffn, "feed-forward", a.n_layer)))
    if head.pooler and r.boolean("classifier_activation", True):
        parts.append(Part("head", LayerGroup("pooler", (Linear("pool", hidden, hidden),))))
    if head.mlm:
        transform = (
            Linear("mlm", hidden, hidden),
            Norm("norm_mlm", hidden, "layernorm"),
            Weight("W_U_extra", (a.n_vocab, hidden - w["embed"])),
        )
        parts.append(Part("head", LayerGroup("MLM transform", transform)))
    if head.classifier is not None:
        width = num_labels(r) if head.classifier == "labels" else int(head.classifier)
        parts.append(Part("head", LayerGroup("classifier", (Linear("cls", hidden, width),))))
    return tuple(parts)
