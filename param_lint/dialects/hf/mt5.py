"""mt5: MT5ForConditionalGeneration (mT5, and models fine-tuned from it). T5 v1.1 under
another name (see t5): the same keys and blocks, with MT5Config's defaults — a 250,112
token vocabulary, gated-gelu MLPs and an untied head."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .t5 import T5_DEFAULTS, t5_like

MT5_DEFAULTS = {
    **T5_DEFAULTS,
    "vocab_size": 250112,
    "num_layers": 8,
    "num_heads": 6,
    "d_ff": 1024,
    "feed_forward_proj": "gated-gelu",
    "tie_word_embeddings": False,
}


def architecture(r: Reader) -> Architecture:
    return t5_like(r, MT5_DEFAULTS)
