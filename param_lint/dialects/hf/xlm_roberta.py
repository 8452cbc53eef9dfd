"""xlm-roberta: XLMRobertaModel and its task classes (XLM-R): RoBERTa's model (roberta.py)
under XLM-R's class names and XLMRobertaConfig's defaults, which are BERT's (vocab_size 30522)."""

from __future__ import annotations

from .bert import BERT_DEFAULTS, BertLike
from .roberta import heads

HEADS = heads("XLMRoberta")
XLM_ROBERTA = BertLike(HEADS, "XLMRobertaForMaskedLM", BERT_DEFAULTS)
architecture, parts = XLM_ROBERTA.architecture, XLM_ROBERTA.parts
