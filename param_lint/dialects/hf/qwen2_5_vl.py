"""qwen2_5_vl: Qwen2_5_VLForConditionalGeneration (Qwen2.5-VL 3B/7B/32B/72B). A Qwen2 text
model (biases on W_Q, W_K, W_V only), read from text_config when the file has one and from
the top level otherwise (the published files are flat), its own vision transformer
(3-D patches over temporal_patch_size frames, RMSNorms, a gated MLP with biases, rotary
positions) and a patch merger: an RMSNorm and two linear layers from spatial_merge_size²
patches to out_hidden_size."""

from __future__ import annotations

from typing import Any

from ...architecture import Architecture
from ...parts import EncoderStack, Linear, Norm, Part, Projector
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like
from .towers import positive_ints

# Qwen2_5_VLTextConfig's defaults (the 72B model's widths).
TEXT_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 152064,
    "hidden_size": 8192,
    "intermediate_size": 29568,
    "num_hidden_layers": 80,
    "num_attention_heads": 64,
    "num_key_value_heads": 8,
    "max_position_embeddings": 32768,
}
VISION_DEFAULTS = {
    "depth": 32,
    "hidden_size": 3584,
    "intermediate_size": 3420,
    "in_channels": 3,
    "patch_size": 14,
    "temporal_patch_size": 2,
    "spatial_merge_size": 2,
    "out_hidden_size": 3584,
}


def text_reader(r: Reader) -> Reader:
    return r.mapping("text_config") if r.has("text_config") else r


def architecture(r: Reader) -> Architecture:
    return llama_like(text_reader(r), TEXT_DEFAULTS, qkv_bias=True)


def vision_keys(r: Reader, defaults: dict[str, int]) -> dict[str, int]:
    vision = r.mapping("vision_config")
    return positive_ints(vision, defaults)


def qwen_vit(k: dict[str, int], **layout: Any) -> EncoderStack:
    """Qwen-VL's vision transformer: depth blocks over 3-D patches of temporal_patch_size frames
    (the keys of VISION_DEFAULTS, read into `k`); `layout` sets the rest (Qwen3.5 reuses it)."""
    patch = (k["temporal_patch_size"], k["patch_size"], k["patch_size"])
    return EncoderStack(k["depth"], k["hidden_size"], k["intermediate_size"], k["in_channels"], patch, **layout)


def vision_parts(k: dict[str, int], **layout: Any) -> tuple[Part, ...]:
    """Qwen2.5-VL's tower (gated MLP, RMSNorm; `layout` adds to it: EXAONE 4.5's d_kv) and its
    patch merger: a norm over one patch, two linear layers from spatial_merge_size² patches."""
    d = k["hidden_size"]
    tower = qwen_vit(k, mlp="gated", norm="rmsnorm", **layout)
    merged = d * k["spatial_merge_size"] ** 2
    merger = Projector(
        (Norm("ln_q", d), Linear("merge_1", merged, merged), Linear("merge_2", merged, k["out_hidden_size"]))
    )
    return (Part("vision", tower), Part("projector", merger))


def parts(r: Reader) -> tuple[Part, ...]:
    return vision_parts(vision_keys(r, VISION_DEFAULTS))
