"""m2m_100: M2M100ForConditionalGeneration and M2M100Model (Meta's M2M100 and NLLB-200
translation models), an encoder-decoder.

BART's stacks (bart.py: encoder_layers and decoder_layers blocks d_model wide, biases
everywhere, the decoder's with cross-attention, one shared word embedding tied to the
lm_head), but pre-LN with a final LayerNorm after each stack and no LayerNorm after the
embeddings; the positions are sinusoids kept in a buffer, not parameters. scale_embedding
multiplies, it holds no weight. As for BART, tie_word_embeddings false gives the lm_head
its own matrix (transformers 4.57.6's count; 5.x unties the stacks' embeddings too), and
transformers 5 reads a num_hidden_layers key as encoder_layers where 4.57.6 ignores it (the
published files keep the two equal).
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .bart import bart_like
from .encoders import Head, head_of, head_parts

M2M100_DEFAULTS = {
    "vocab_size": 128112,
    "max_position_embeddings": 1024,
    "layers": 12,
    "ffn_dim": 4096,
    "attention_heads": 16,
    "d_model": 1024,
}

HEADS = {"M2M100Model": Head(), "M2M100ForConditionalGeneration": Head(lm_head=True)}


def architecture(r: Reader) -> Architecture:
    head = head_of(r, HEADS, "M2M100ForConditionalGeneration")[1]
    return bart_like(
        r,
        M2M100_DEFAULTS,
        head,
        position_embedding="none",
        position_offset=0,
        stack_embeddings=False,
        embedding_norm=False,
        final_norm=True,
    )


def parts(r: Reader) -> tuple[Part, ...]:
    return head_parts(r, head_of(r, HEADS, "M2M100ForConditionalGeneration")[1], architecture(r).d_model)
