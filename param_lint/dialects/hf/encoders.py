"""What the BERT-style encoder families share (bert, roberta, xlm-roberta, distilbert, mpnet,
electra, deberta-v2).

The encoder stack is the flat `Architecture` (`encoder` makes it): learned positions, a
LayerNorm after the embeddings, post-LN blocks with biases everywhere (two LayerNorms a
layer), no final norm, and no decoder (`n_encoder_layer` stays 0: a stack of `n_layer`
layers without causal or cross attention counts the same). The word embedding is tied to the MLM decoder, whose
bias is `lm_head_bias`. What the record has no field for is a part: `embeddings` (the
token-type embeddings) and `head` (the pooler, the MLM transform, a task classifier).

Which of them the model has depends on the class the file's `architectures` names (the
whole model, as transformers builds it): `HEADS` per family maps each class to its `Head`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Norm, Part, Weight
from .. import CannotCount, Reader


@dataclass(frozen=True)
class Head:
    """The layers a model class puts around the encoder stack.

    `pooler`: a (d, d) dense over [CLS]. `mlm`: the MLM transform (dense + LayerNorm) and
    the decoder over the vocabulary, tied to W_E, with its bias. `classifier`: a final
    (d, n) dense whose width is `"labels"` (num_labels: question answering's start and end
    logits too) or a fixed int (2 for next-sentence prediction, 1 for multiple choice).
    `dense`: a (d, d) dense before the classifier (RoBERTa's classification head,
    DistilBERT's pre_classifier). `lm_head`: a plain unembedding (BART's lm_head)."""

    pooler: bool = False
    mlm: bool = False
    lm_head: bool = False
    classifier: str | int | None = None
    dense: bool = False


def encoder(r: Reader, dims: Mapping[str, Any], mlm: bool, **fields: Any) -> Architecture:
    """The flat record of a BERT-style encoder: `dims` (and `fields`), a LayerNorm after the
    embeddings, no final norm; with the MLM head (`mlm`) its decoder is tied to W_E unless the
    file unties it, and has a bias."""
    return Architecture(
        **dims,
        **fields,
        embedding_norm=True,
        tie_embeddings=r.boolean("tie_word_embeddings", True, field="tie_embeddings") or not mlm,
        lm_head_bias=mlm,
        final_norm=False,
    )


def head_of(r: Reader, heads: Mapping[str, Head], default: str) -> tuple[str, Head]:
    """The class the file's `architectures` names (`default` when it names none) and its Head."""
    names = r.sequence("architectures", [default]) or [default]
    for index, name in enumerate(names):
        if not isinstance(name, str):
            r.fail("architectures", f"architectures[{index}] must be a class name (a string), got {name!r}")
        if name in heads:
            return name, heads[name]
    known = ", ".join(sorted(heads))
    raise CannotCount(r.path("architectures"), f"cannot count the class {names[0]!r} yet; classes: {known}")


def num_labels(r: Reader) -> int:
    """The classifier width: as many labels as id2label names, else num_labels, else 2."""
    id2label = r.data.get("id2label")
    if isinstance(id2label, Mapping) and id2label:
        return len(id2label)
    return r.integer("num_labels", 2, minimum=1)


def head_parts(r: Reader, head: Head, d_model: int, n_token_type: int = 0, pooler: str = "pool") -> tuple[Part, ...]:
    """The parts beside the encoder stack: token-type embeddings, pooler, MLM transform, classifier."""
    parts: list[Part] = []
    if n_token_type:
        token_types = LayerGroup("token types", (Weight("W_T", (n_token_type, d_model)),), "embedding")
        parts.append(Part("embeddings", token_types))
    if head.pooler:
        parts.append(Part("head", LayerGroup("pooler", (Linear(pooler, d_model, d_model),))))
    if head.mlm:
        transform = (Linear("mlm", d_model, d_model), Norm("norm_mlm", d_model, "layernorm"))
        parts.append(Part("head", LayerGroup("MLM transform", transform)))
    if head.classifier is not None:
        width = num_labels(r) if head.classifier == "labels" else int(head.classifier)
        layers = (Linear("cls_dense", d_model, d_model),) if head.dense else ()
        parts.append(Part("head", LayerGroup("classifier", (*layers, Linear("cls", d_model, width)))))
    return tuple(parts)
