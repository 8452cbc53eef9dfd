"""mbart: MBartModel, MBartForConditionalGeneration and its task classes (mBART, mBART-50).

BART's model (bart.py) with pre-LN blocks and a final LayerNorm after each stack
(encoder.layer_norm, decoder.layer_norm); the same keys and defaults as BartConfig.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .bart import BART_DEFAULTS, bart_like, heads
from .encoders import head_of, head_parts

HEADS = heads("MBart")


def architecture(r: Reader) -> Architecture:
    head = head_of(r, HEADS, "MBartForConditionalGeneration")[1]
    return bart_like(r, BART_DEFAULTS, head, final_norm=True)


def parts(r: Reader) -> tuple[Part, ...]:
    return head_parts(r, head_of(r, HEADS, "MBartForConditionalGeneration")[1], architecture(r).d_model)
