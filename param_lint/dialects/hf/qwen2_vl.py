"""qwen2_vl: Qwen2VLForConditionalGeneration (Qwen2-VL 2B/7B/72B, QVQ, and fine-tunes such as
olmOCR). The Qwen2 text model of qwen2_5_vl (flat keys or text_config, the same defaults),
Qwen2-VL's vision transformer (3-D patches without a bias, layernorm blocks, a fused qkv
and an output with biases, a plain MLP of embed_dim x mlp_ratio with biases, no positions
but rotary ones) and the patch merger: a layernorm over one patch (embed_dim wide) and two
linear layers from spatial_merge_size² patches to the vision config's hidden_size (the text
model's width)."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import EncoderStack, Linear, Norm, Part, Projector
from .. import Reader
from . import qwen2_5_vl
from .towers import positive_ints, sub_reader

# Qwen2VLVisionConfig's defaults.
VISION_DEFAULTS = {
    "depth": 32,
    "embed_dim": 1280,
    "hidden_size": 3584,
    "in_channels": 3,
    "patch_size": 14,
    "spatial_merge_size": 2,
    "temporal_patch_size": 2,
}


def architecture(r: Reader) -> Architecture:
    return qwen2_5_vl.architecture(r)


def parts(r: Reader) -> tuple[Part, ...]:
    vision = sub_reader(r, "vision_config", {})
    k = positive_ints(vision, VISION_DEFAULTS)
    d = k["embed_dim"]
    ratio = vision.number("mlp_ratio", 4)
    if ratio <= 0 or int(d * ratio) < 1:
        vision.fail("mlp_ratio", f"mlp_ratio must be positive, got {ratio!r}")
    tower = EncoderStack(
        k["depth"],
        d,
        int(d * ratio),  # as Qwen2VLVisionBlock rounds it
        k["in_channels"],
        (k["temporal_patch_size"], k["patch_size"], k["patch_size"]),
    )
    merged = d * k["spatial_merge_size"] ** 2
    merger = Projector(
        (
            Norm("ln_q", d, "layernorm"),
            Linear("merge_1", merged, merged),
            Linear("merge_2", merged, k["hidden_size"]),
        )
    )
    return (Part("vision", tower), Part("projector", merger))
