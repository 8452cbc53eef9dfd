"""t5: T5ForConditionalGeneration (T5, T5 v1.1, Flan-T5), an encoder-decoder.

num_layers encoder blocks and num_decoder_layers (null: num_layers) decoder blocks, each
with bias-free attention of num_heads heads of width d_kv (not d_model / num_heads), a
bias-free MLP that is gated when feed_forward_proj is "gated-<act>" (T5 v1.1), and
weight-only RMSNorms (T5LayerNorm); a learned relative position bias
(relative_attention_num_buckets, num_heads) in the first block of each stack.

The head follows tie_word_embeddings (default true): T5 v1.1 and Flan-T5 say false and
have their own lm_head, as their checkpoints do and transformers 4.x builds them. (From
5.0, transformers ties the head whatever the flag says and uses the flag only to switch
off the d_model**-0.5 output scaling; the golden counts are pinned to 4.57.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...architecture import Architecture
from .. import Reader
from .common import key_of, read_int, read_ints

T5_DEFAULTS = {
    "vocab_size": 32128,
    "num_layers": 6,
    "d_model": 512,
    "num_heads": 8,
    "d_kv": 64,
    "d_ff": 2048,
    "relative_attention_num_buckets": 32,
    "feed_forward_proj": "relu",
    "tie_word_embeddings": True,
}


def architecture(r: Reader) -> Architecture:
    return t5_like(r, T5_DEFAULTS)


def t5_like(r: Reader, defaults: Mapping[str, Any]) -> Architecture:
    """A T5-style encoder-decoder under T5's keys, with a config class's defaults (mT5's differ)."""
    dims = read_ints(
        r,
        {
            "n_vocab": ("vocab_size", defaults["vocab_size"]),
            "n_encoder_layer": (("num_layers", "num_hidden_layers"), defaults["num_layers"]),
            "d_model": (("d_model", "hidden_size"), defaults["d_model"]),
            "n_head": (("num_heads", "num_attention_heads"), defaults["num_heads"]),
            "d_head": (("d_kv", "head_dim"), defaults["d_kv"]),
            "d_ff": ("d_ff", defaults["d_ff"]),
            "relative_attention_buckets": (
                "relative_attention_num_buckets",
                defaults["relative_attention_num_buckets"],
            ),
        },
    )
    n_layer = read_int(r, "num_decoder_layers", dims["n_encoder_layer"], "n_layer")
    if not r.has("num_decoder_layers"):
        r.note("n_layer", key_of(r, ("num_layers", "num_hidden_layers")))
    return Architecture(
        **dims,
        n_layer=n_layer,
        n_kv_head=dims["n_head"],
        position_embedding="none",
        tie_embeddings=r.boolean("tie_word_embeddings", defaults["tie_word_embeddings"], field="tie_embeddings"),
        qkv_bias=False,
        out_bias=False,
        mlp=t5_mlp(r, defaults["feed_forward_proj"]),
        mlp_bias=False,
        norm="rmsnorm",
    )


def t5_mlp(r: Reader, default: str = "relu") -> str:
    """ "gated-gelu" -> gated (wi_0, wi_1, wo); "relu" -> standard (wi, wo), as T5Config checks."""
    projection = r.string("feed_forward_proj", default, field="mlp")
    parts = projection.split("-")
    if len(parts) > 2 or (len(parts) == 2 and parts[0] != "gated"):
        r.fail(
            "feed_forward_proj", f"feed_forward_proj must be 'gated-<activation>' or '<activation>', got {projection!r}"
        )
    return "gated" if len(parts) == 2 else "standard"
