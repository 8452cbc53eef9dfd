"""gpt2: GPT2LMHeadModel (GPT-2, and the GPT-3 architecture). Learned positions
(n_positions rows), biased LayerNorms and biases on every linear layer, a plain MLP of
width n_inner (null: 4 * n_embd), embeddings tied by default. Keys follow GPT-2's names
or their transformers aliases (hidden_size, num_hidden_layers, ...)."""

from __future__ import annotations

from typing import Any

from ...architecture import Architecture
from .. import Reader
from .common import model_width_dimensions, read_bool, read_int


def gpt2_like(r: Reader, defaults: dict[str, Any], **fields: Any) -> Architecture:
    """GPT-2's block under GPT-2's key names; `fields` where a family differs."""
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", defaults["vocab_size"]),
            "n_layer": (("n_layer", "num_hidden_layers"), defaults["n_layer"]),
            "d_model": (("n_embd", "hidden_size"), defaults["n_embd"]),
            "n_head": (("n_head", "num_attention_heads"), defaults["n_head"]),
            "n_context": (("n_positions", "max_position_embeddings"), defaults["n_positions"]),
        },
    )
    arch: dict[str, Any] = {
        **dims,
        "d_ff": read_int(r, "n_inner", 4 * dims["d_model"], "d_ff"),
        "tie_embeddings": read_bool(r, "tie_word_embeddings", defaults["tie_word_embeddings"], "tie_embeddings"),
    }
    arch.update(fields)
    return Architecture(**arch)


def without_cross_attention(r: Reader) -> None:
    """add_cross_attention gives each block a second attention: not a decoder-only count."""
    if r.boolean("add_cross_attention", False):
        r.fail("add_cross_attention", "param-lint does not count decoder blocks with add_cross_attention")


GPT2_DEFAULTS = {
    "vocab_size": 50257,
    "n_layer": 12,
    "n_embd": 768,
    "n_head": 12,
    "n_positions": 1024,
    "tie_word_embeddings": True,
}


def architecture(r: Reader) -> Architecture:
    without_cross_attention(r)
    return gpt2_like(r, GPT2_DEFAULTS)
