"""bart: BartModel, BartForConditionalGeneration and its task classes (BART), an encoder-decoder.

encoder_layers and decoder_layers post-LN blocks d_model wide with biases everywhere (the
decoder's with cross-attention), one shared word embedding tied to the lm_head, and each
stack with its own learned positions (max_position_embeddings + 2 rows) and LayerNorm
after the embeddings (`stack_embeddings`); no final norm. final_logits_bias is a buffer,
not a parameter. The sequence classifier is a dense layer and an out_proj over labels.

With tie_word_embeddings false the count is transformers 4.57's: the lm_head gets its own
matrix. 5.x also unties the encoder's and decoder's token embeddings from `shared` (two
more vocabulary matrices); no published file here says false.

Encoder and decoder share one Architecture, so their widths must agree: a file whose
encoder_ffn_dim differs from decoder_ffn_dim (none published here) cannot be counted yet.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...architecture import Architecture
from ...parts import Part
from .. import CannotCount, Reader
from .common import model_width_dimensions
from .encoders import Head, head_of, head_parts

BART_DEFAULTS = {
    "vocab_size": 50265,
    "max_position_embeddings": 1024,
    "layers": 12,
    "ffn_dim": 4096,
    "attention_heads": 16,
    "d_model": 1024,
}


def heads(prefix: str) -> dict[str, Head]:
    """The classes of a BART-like family (`prefix`: Bart, MBart, Marian)."""
    return {
        f"{prefix}Model": Head(),
        f"{prefix}ForConditionalGeneration": Head(lm_head=True),
        f"{prefix}ForSequenceClassification": Head(classifier="labels", dense=True),
        f"{prefix}ForQuestionAnswering": Head(classifier=2),
    }


HEADS = heads("Bart")


def bart_like(r: Reader, defaults: Mapping[str, Any], head: Head, **fields: Any) -> Architecture:
    """A BART-style encoder-decoder under BartConfig's keys with a config class's defaults;
    `head` says whether the class has an lm_head (untied when tie_word_embeddings is false)."""
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", defaults["vocab_size"]),
            "n_layer": ("decoder_layers", defaults["layers"]),
            "n_encoder_layer": ("encoder_layers", defaults["layers"]),
            "d_model": ("d_model", defaults["d_model"]),
            "n_head": ("decoder_attention_heads", defaults["attention_heads"]),
            "d_ff": ("decoder_ffn_dim", defaults["ffn_dim"]),
            "n_context": ("max_position_embeddings", defaults["max_position_embeddings"]),
        },
    )
    for key, field in (("encoder_ffn_dim", "d_ff"), ("encoder_attention_heads", "n_head")):
        value = r.integer(key, defaults[key.split("_", 1)[1]], minimum=1)
        if field == "d_ff" and value != dims["d_ff"]:
            raise CannotCount(r.path(key), f"cannot count an {key} ({value}) other than the decoder's yet")
        if field == "n_head" and dims["d_model"] % value:
            r.fail(key, f"d_model ({dims['d_model']}) is not a multiple of {key} ({value})")
    arch: dict[str, Any] = {
        **dims,
        "position_offset": 2,
        "stack_embeddings": True,
        "embedding_norm": True,
        "tie_embeddings": r.boolean("tie_word_embeddings", True, field="tie_embeddings") or not head.lm_head,
        "final_norm": False,
    }
    arch.update(fields)
    return Architecture(**arch)


def architecture(r: Reader) -> Architecture:
    return bart_like(r, BART_DEFAULTS, head_of(r, HEADS, "BartForConditionalGeneration")[1])


def parts(r: Reader) -> tuple[Part, ...]:
    return head_parts(r, head_of(r, HEADS, "BartForConditionalGeneration")[1], architecture(r).d_model)
