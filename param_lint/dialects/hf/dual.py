"""What the dual encoders share (clip; siglip waits for a published config): two towers and a head.

CLIPModel and SiglipModel are not language models: a text encoder (token embedding, learned
positions, pre-LN blocks with biases everywhere, a final LayerNorm, no head over the
vocabulary) and a vision encoder (towers.py) side by side, each embedding into a shared
space where a learned logit scale (and for SigLIP a bias) compares them. The text tower is
the model's `Architecture` (`unembedding=False`: no W_U, no what-if about tying one), so the
rules and diagnosis work on it as on any encoder; the vision tower is the part `vision`, and
the projections and logit scale/bias the part `head`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...architecture import Architecture
from .. import Reader
from .common import model_width_dimensions
from .encoders import Head, head_of
from .towers import sub_reader


def model_class(r: Reader, name: str) -> None:
    """Only the dual model itself is counted here (`name`: CLIPModel, SiglipModel)."""
    head_of(r, {name: Head()}, name)


def text_tower(r: Reader, defaults: Mapping[str, int], key: str = "text_config") -> Architecture:
    """The text encoder under `key` (class defaults when the file has none)."""
    return text_architecture(text_reader(r, key), defaults)


def text_architecture(text: Reader, defaults: Mapping[str, int]) -> Architecture:
    """The text encoder whose keys `text` reads (a standalone CLIPTextModel's are top-level)."""
    dims: dict[str, Any] = model_width_dimensions(
        text,
        {
            "n_vocab": ("vocab_size", defaults["vocab_size"]),
            "n_layer": ("num_hidden_layers", defaults["num_hidden_layers"]),
            "d_model": ("hidden_size", defaults["hidden_size"]),
            "n_head": ("num_attention_heads", defaults["num_attention_heads"]),
            "d_ff": ("intermediate_size", defaults["intermediate_size"]),
            "n_context": ("max_position_embeddings", defaults["max_position_embeddings"]),
        },
    )
    return Architecture(**dims, unembedding=False, final_norm=True)


def text_reader(r: Reader, key: str = "text_config") -> Reader:
    """The nested text_config, or `key` ({} when absent: CLIPTextConfig's / SiglipTextConfig's
    defaults)."""
    return sub_reader(r, key, absent={})
