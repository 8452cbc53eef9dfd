"""qwen3_vl: Qwen3VLForConditionalGeneration (Qwen3-VL 2B/4B/8B/32B). A Qwen3 text model
under text_config (head-wide q/k RMSNorms), a vision transformer (3-D patches with a bias,
a learned position table of num_position_embeddings rows, layernorms, a plain MLP with
biases), the patch merger (a layernorm over one patch, two linear layers from
spatial_merge_size² patches to out_hidden_size) and the DeepStack mergers: one more merger
per deepstack_visual_indexes entry, its layernorm over the merged patches, feeding those
vision layers' outputs into the first text layers.

Tying: a top-level tie_word_embeddings decides when the file has one (transformers 5 reads
only that one, and a file it writes may carry its text config class's default of true beside
a top-level false); otherwise the text config's, as transformers 4.57 reads it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from ...architecture import Architecture
from ...parts import EncoderStack, LayerGroup, Linear, Norm, Part, Projector
from .. import Reader
from . import qwen3
from .towers import positive_ints, sub_reader

# Qwen3VLTextConfig's defaults are Qwen3Config's (qwen3.QWEN3_DEFAULTS) for every width.
VISION_DEFAULTS = {
    "depth": 27,
    "hidden_size": 1152,
    "intermediate_size": 4304,
    "in_channels": 3,
    "patch_size": 16,
    "temporal_patch_size": 2,
    "spatial_merge_size": 2,
    "out_hidden_size": 3584,
    "num_position_embeddings": 2304,
}
DEEPSTACK_DEFAULT = [8, 16, 24]


def with_top_level_tying(r: Reader, text_architecture: Callable[[Reader], Architecture]) -> Architecture:
    """The text model under text_config, tied as the top-level tie_word_embeddings says when
    the file has one (read first, so findings about tying point at it)."""
    tie = r.boolean("tie_word_embeddings", False, field="tie_embeddings") if r.has("tie_word_embeddings") else None
    arch = text_architecture(sub_reader(r, "text_config", {}))
    return arch if tie is None else replace(arch, tie_embeddings=tie)


def architecture(r: Reader) -> Architecture:
    return with_top_level_tying(r, qwen3.architecture)


def deepstack_layers(vision: Reader) -> int:
    """How many DeepStack mergers: one per entry of deepstack_visual_indexes."""
    indexes = vision.sequence("deepstack_visual_indexes", DEEPSTACK_DEFAULT)
    for index, layer in enumerate(indexes):
        if isinstance(layer, bool) or not isinstance(layer, int):
            vision.fail("deepstack_visual_indexes", f"deepstack_visual_indexes[{index}] must be a layer index")
    return len(indexes)


def vision_parts(r: Reader, defaults: Mapping[str, Any] = VISION_DEFAULTS, deepstack: bool = True) -> tuple[Part, ...]:
    """The tower, its patch merger and the DeepStack mergers (shared by qwen3_vl_moe; Qwen3.5
    builds the same tower and merger without DeepStack: `deepstack` false)."""
    vision = sub_reader(r, "vision_config", {})
    k = positive_ints(vision, defaults)
    d = k["hidden_size"]
    tower = EncoderStack(
        k["depth"],
        d,
        k["intermediate_size"],
        k["in_channels"],
        (k["temporal_patch_size"], k["patch_size"], k["patch_size"]),
        patch_bias=True,
        n_position=k["num_position_embeddings"],
    )
    merged = d * k["spatial_merge_size"] ** 2
    out = k["out_hidden_size"]

    def merger(norm_width: int) -> tuple[Norm | Linear, ...]:
        return (
            Norm("norm", norm_width, "layernorm"),
            Linear("merge_1", merged, merged),
            Linear("merge_2", merged, out),
        )

    parts = [Part("vision", tower), Part("projector", Projector(merger(d)))]
    n_deepstack = deepstack_layers(vision) if deepstack else 0
    if n_deepstack:
        parts.append(Part("projector", LayerGroup("deepstack merger", merger(merged), "projector", n_deepstack)))
    return tuple(parts)


def parts(r: Reader) -> tuple[Part, ...]:
    return vision_parts(r)
