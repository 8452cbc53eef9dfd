"""mbart: MBartModel, MBartForConditionalGeneration and its task classes (mBART, mBART-50).

BART's model (bart.py) with pre-LN blocks and a final LayerNorm after each stack
(encoder.layer_norm, decoder.layer_norm); the same keys and defaults as BartConfig.
As for BART, tie_word_embeddings false is transformers 4.57.6's count (5.x also unties the
stacks' token embeddings), and transformers 5 reads a num_hidden_layers key as
encoder_layers where 4.57.6 ignores it (the published files keep the two equal).
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
