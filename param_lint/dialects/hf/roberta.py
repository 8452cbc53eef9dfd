"""roberta: RobertaModel and its task classes (RoBERTa, and models published as roberta).

BERT's encoder (bert.py) under BertConfig's keys with RobertaConfig's defaults; the
max_position_embeddings rows already include the two padding offsets (514 for 512 tokens).
RobertaForMaskedLM's lm_head is BERT's MLM transform and tied decoder; its classification
head is a dense layer and an out_proj, without the pooler the class leaves out.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .bert import encoder_stack
from .encoders import Head, head_of, head_parts

ROBERTA_DEFAULTS = {"vocab_size": 50265, "max_position_embeddings": 512, "type_vocab_size": 2}


def heads(prefix: str) -> dict[str, Head]:
    """The task classes of RoBERTa-like families (`prefix`: Roberta, XLMRoberta)."""
    return {
        f"{prefix}Model": Head(pooler=True),
        f"{prefix}ForMaskedLM": Head(mlm=True),
        f"{prefix}ForCausalLM": Head(mlm=True),
        f"{prefix}ForSequenceClassification": Head(classifier="labels", dense=True),
        f"{prefix}ForMultipleChoice": Head(pooler=True, classifier=1),
        f"{prefix}ForTokenClassification": Head(classifier="labels"),
        f"{prefix}ForQuestionAnswering": Head(classifier="labels"),
    }


HEADS = heads("Roberta")


def architecture(r: Reader) -> Architecture:
    return encoder_stack(r, ROBERTA_DEFAULTS, head_of(r, HEADS, "RobertaForMaskedLM")[1].mlm)


def parts(r: Reader) -> tuple[Part, ...]:
    head = head_of(r, HEADS, "RobertaForMaskedLM")[1]
    n_type = r.integer("type_vocab_size", ROBERTA_DEFAULTS["type_vocab_size"], minimum=1)
    return head_parts(r, head, architecture(r).d_model, n_type)
