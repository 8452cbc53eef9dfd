"""roberta: RobertaModel and its task classes (RoBERTa, and models published as roberta).

BERT's model (bert.py's BertLike) under RoBERTa's class names and RobertaConfig's defaults;
the max_position_embeddings rows already include the two padding offsets (514 for 512
tokens). RobertaForMaskedLM's lm_head is BERT's MLM transform and tied decoder; its
classification head is a dense layer and an out_proj, without the pooler the class leaves out.
"""

from __future__ import annotations

from .bert import BertLike
from .encoders import Head

ROBERTA_DEFAULTS = {"vocab_size": 50265, "max_position_embeddings": 512, "type_vocab_size": 2}


def heads(prefix: str) -> dict[str, Head]:
    """The task classes of RoBERTa-like families (`prefix`: Roberta, XLMRoberta, MPNet)."""
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
ROBERTA = BertLike(HEADS, "RobertaForMaskedLM", ROBERTA_DEFAULTS)
architecture, parts = ROBERTA.architecture, ROBERTA.parts
