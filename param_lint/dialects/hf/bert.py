"""bert: BertModel and its task classes (BERT, and the many models published as model_type bert).

A post-LN encoder (see encoders.py): word, learned position and token-type embeddings and a
LayerNorm; num_hidden_layers blocks with biased attention hidden_size wide and a plain
MLP; `architectures` decides the head: BertModel adds the pooler, BertForMaskedLM the MLM
transform and tied decoder with its bias, BertForPreTraining both and the next-sentence
classifier. Only absolute positions are counted (relative_key* add distance embeddings).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .common import model_width_dimensions
from .encoders import Head, encoder, head_of, head_parts

BERT_DEFAULTS = {"vocab_size": 30522, "max_position_embeddings": 512, "type_vocab_size": 2}

HEADS = {
    "BertModel": Head(pooler=True),
    "BertForMaskedLM": Head(mlm=True),
    "BertLMHeadModel": Head(mlm=True),
    "BertForPreTraining": Head(pooler=True, mlm=True, classifier=2),
    "BertForNextSentencePrediction": Head(pooler=True, classifier=2),
    "BertForSequenceClassification": Head(pooler=True, classifier="labels"),
    "BertForMultipleChoice": Head(pooler=True, classifier=1),
    "BertForTokenClassification": Head(classifier="labels"),
    "BertForQuestionAnswering": Head(classifier="labels"),
}


def encoder_stack(r: Reader, defaults: Mapping[str, Any], mlm: bool) -> Architecture:
    """The BERT-style stack under BertConfig's keys (RoBERTa and XLM-R share them)."""
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", defaults["vocab_size"]),
            "n_layer": ("num_hidden_layers", 12),
            "d_model": ("hidden_size", 768),
            "n_head": ("num_attention_heads", 12),
            "d_ff": ("intermediate_size", 3072),
            "n_context": ("max_position_embeddings", defaults["max_position_embeddings"]),
        },
    )
    r.string("position_embedding_type", "absolute", field="position_embedding", choices=("absolute",))
    return encoder(r, dims, mlm)


@dataclass(frozen=True)
class BertLike:
    """BERT's model under a family's class names (`heads`, `masked_lm` when the file names no
    class) and its config class's defaults: RoBERTa and XLM-R are BERT so."""

    heads: Mapping[str, Head]
    masked_lm: str
    defaults: Mapping[str, Any]

    def head(self, r: Reader) -> Head:
        return head_of(r, self.heads, self.masked_lm)[1]

    def architecture(self, r: Reader) -> Architecture:
        return encoder_stack(r, self.defaults, self.head(r).mlm)

    def parts(self, r: Reader) -> tuple[Part, ...]:
        n_type = r.integer("type_vocab_size", self.defaults["type_vocab_size"], minimum=1)
        return head_parts(r, self.head(r), self.architecture(r).d_model, n_type)


BERT = BertLike(HEADS, "BertForMaskedLM", BERT_DEFAULTS)
architecture, parts = BERT.architecture, BERT.parts
