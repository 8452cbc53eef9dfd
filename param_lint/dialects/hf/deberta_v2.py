"""deberta-v2: DebertaV2Model and its task classes (DeBERTa-v2, DeBERTa-v3).

BERT's post-LN encoder (see encoders.py) with disentangled attention: learned absolute
positions only when position_biased_input (DeBERTa-v3 and v2-xxlarge say false),
token-type embeddings only when type_vocab_size > 0, and what the flat record has no field
for as parts: the relative position embeddings shared by all layers (2 * position_buckets
rows, or 2 * max_relative_positions) with their LayerNorm when norm_rel_ebd says
layer_norm, the convolution beside the first layer when conv_kernel_size > 0, and per-layer
pos_key_proj / pos_query_proj when share_att_key is false. No pooler except the
ContextPooler of the classification classes; the MLM head (legacy or not) is a dense layer,
a LayerNorm and the tied decoder's bias. (With legacy false, transformers 4.57.6 ties the
head's dense layer to the word embedding, which 5.x no longer does; param-lint counts 5.x's.)

A file without `architectures` (as microsoft/deberta-v2-xxlarge ships) is the masked LM.
An embedding_size other than hidden_size, or attention heads not hidden_size wide in all,
cannot be counted yet.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Norm, Part, Weight
from .. import CannotCount, Reader
from .common import read_ints
from .encoders import Head, encoder, head_of, head_parts

HEADS = {
    "DebertaV2Model": Head(),
    "DebertaV2ForMaskedLM": Head(mlm=True),
    "DebertaV2ForSequenceClassification": Head(pooler=True, classifier="labels"),
    "DebertaV2ForMultipleChoice": Head(pooler=True, classifier=1),
    "DebertaV2ForTokenClassification": Head(classifier="labels"),
    "DebertaV2ForQuestionAnswering": Head(classifier="labels"),
}


def _head(r: Reader) -> Head:
    return head_of(r, HEADS, "DebertaV2ForMaskedLM")[1]


def architecture(r: Reader) -> Architecture:
    dims = read_ints(
        r,
        {
            "n_vocab": ("vocab_size", 128100),
            "n_layer": ("num_hidden_layers", 24),
            "d_model": ("hidden_size", 1536),
            "n_head": ("num_attention_heads", 24),
            "d_ff": ("intermediate_size", 6144),
            "n_context": ("max_position_embeddings", 512),
        },
    )
    d_model, n_head = dims["d_model"], dims["n_head"]
    if r.integer("embedding_size", d_model, minimum=1) != d_model:
        raise CannotCount(r.path("embedding_size"), "cannot count a DeBERTa embedding_size other than hidden_size yet")
    d_head = r.integer("attention_head_size", d_model // n_head, field="d_head", minimum=1)
    if d_head * n_head != d_model:
        raise CannotCount(
            r.path("attention_head_size" if r.has("attention_head_size") else "num_attention_heads"),
            f"cannot count attention {n_head} x {d_head} wide in a hidden_size of {d_model} yet",
        )
    mlm = _head(r).mlm
    learned = r.boolean("position_biased_input", True, field="position_embedding")
    position = "learned" if learned else "none"
    return encoder(r, dims, mlm, d_head=d_head, n_kv_head=n_head, position_embedding=position)


def _attention_types(r: Reader) -> list[str]:
    value = r.data.get("pos_att_type")
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.lower().split("|")]
    return [str(part) for part in r.sequence("pos_att_type")]


def parts(r: Reader) -> tuple[Part, ...]:
    head, a = _head(r), architecture(r)
    d = a.d_model
    parts: list[Part] = []
    if r.boolean("relative_attention", False):
        positions = r.integer("max_relative_positions", -1, minimum=-(2**31))
        positions = positions if positions >= 1 else a.n_context
        buckets = r.integer("position_buckets", -1, minimum=-(2**31))
        rows = 2 * (buckets if buckets > 0 else positions)
        layers: tuple[Linear | Norm | Weight, ...] = (Weight("W_R", (rows, d)),)
        norm_rel = [part.strip() for part in r.string("norm_rel_ebd", "none").lower().split("|")]
        if "layer_norm" in norm_rel:
            layers += (Norm("norm_R", d, "layernorm"),)
        parts.append(Part("encoder", LayerGroup("relative positions", layers, "embedding")))
        if not r.boolean("share_att_key", False):
            kinds = _attention_types(r)
            projections = tuple(
                Linear(name, d, d) for kind, name in (("c2p", "pos_K"), ("p2c", "pos_Q")) if kind in kinds
            )
            if projections:
                parts.append(Part("encoder", LayerGroup("position projections", projections, "attention", a.n_layer)))
    kernel = r.integer("conv_kernel_size", 0)
    if kernel > 0:
        groups = r.integer("conv_groups", 1, minimum=1)
        conv = (Weight("W_conv", (d, d // groups, kernel)), Weight("b_conv", (d,)), Norm("norm_conv", d, "layernorm"))
        parts.append(Part("encoder", LayerGroup("convolution", conv, "attention")))
    n_type = r.integer("type_vocab_size", 0)
    pooler = r.integer("pooler_hidden_size", d, minimum=1)
    if head.pooler and pooler != d:
        raise CannotCount(r.path("pooler_hidden_size"), "cannot count a pooler_hidden_size other than hidden_size yet")
    return (*parts, *head_parts(r, head, d, n_type))
