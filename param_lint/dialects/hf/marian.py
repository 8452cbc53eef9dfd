"""marian: MarianMTModel and MarianModel (the Helsinki-NLP opus-mt translation models).

BART's encoder-decoder (bart.py) with sinusoidal positions stored as parameters, one
max_position_embeddings-row matrix per stack (no offset), and no LayerNorm after the
embeddings nor after the stacks. One vocabulary shared by encoder, decoder and the tied
lm_head: a file with share_encoder_decoder_embeddings false (a separate target
vocabulary of decoder_vocab_size) cannot be counted yet.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import CannotCount, Reader
from .bart import bart_like
from .encoders import Head, head_of, head_parts

MARIAN_DEFAULTS = {
    "vocab_size": 58101,
    "max_position_embeddings": 1024,
    "layers": 12,
    "ffn_dim": 4096,
    "attention_heads": 16,
    "d_model": 1024,
}

HEADS = {"MarianModel": Head(), "MarianMTModel": Head(lm_head=True)}


def architecture(r: Reader) -> Architecture:
    head = head_of(r, HEADS, "MarianMTModel")[1]
    if not r.boolean("share_encoder_decoder_embeddings", True):
        raise CannotCount(
            r.path("share_encoder_decoder_embeddings"), "cannot count a Marian model with its own target vocabulary yet"
        )
    return bart_like(r, MARIAN_DEFAULTS, head, position_offset=0, embedding_norm=False)


def parts(r: Reader) -> tuple[Part, ...]:
    return head_parts(r, head_of(r, HEADS, "MarianMTModel")[1], architecture(r).d_model)
