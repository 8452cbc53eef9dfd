"""xlm-roberta: XLMRobertaModel and its task classes (XLM-R): RoBERTa's model (roberta.py)
under XLMRobertaConfig's defaults, which are BERT's (vocab_size 30522)."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .bert import BERT_DEFAULTS, encoder_stack
from .encoders import head_of, head_parts
from .roberta import heads

HEADS = heads("XLMRoberta")


def architecture(r: Reader) -> Architecture:
    return encoder_stack(r, BERT_DEFAULTS, head_of(r, HEADS, "XLMRobertaForMaskedLM")[1].mlm)


def parts(r: Reader) -> tuple[Part, ...]:
    head = head_of(r, HEADS, "XLMRobertaForMaskedLM")[1]
    n_type = r.integer("type_vocab_size", BERT_DEFAULTS["type_vocab_size"], minimum=1)
    return head_parts(r, head, architecture(r).d_model, n_type)
