"""glm4v_moe: Glm4vMoeForConditionalGeneration (GLM-4.5V). A GLM-4.5-Air text model under
text_config (glm4_moe's layers: W_Q, W_K, W_V biased by attention_bias, true by default;
no q/k norms, which Glm4vMoeTextAttention does not build; first_k_dense_replace dense
layers, then routed and shared experts), and GLM-4V's vision tower:

* the ViT: 3-D patches with a bias, one learned position per patch of an image_size image,
  RMSNorm blocks with a bias-free fused qkv and output, and a bias-free gated MLP whose width
  is out_hidden_size (intermediate_size is the merger's); a final RMSNorm (post_layernorm);
* post_conv_layernorm and `downsample`, a biased Conv2d from hidden_size to out_hidden_size
  over spatial_merge_size² patches (part `vision`, where transformers keeps it);
* the patch merger (part `projector`): a bias-free square projection, a layernorm, and a
  bias-free gated MLP of width intermediate_size.

The routers' e_score_correction_bias is a buffer (in the checkpoint, not counted)."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import EncoderStack, LayerGroup, Linear, Norm, Part, Projector, Weight
from .. import Reader
from . import glm4_moe
from .towers import positive_ints, sub_reader

# Glm4vMoeTextConfig's defaults.
TEXT_DEFAULTS = {**glm4_moe.GLM4_MOE_DEFAULTS, "vocab_size": 151424, "max_position_embeddings": 65536}
# Glm4vMoeVisionConfig's defaults.
VISION_DEFAULTS = {
    "depth": 24,
    "hidden_size": 1536,
    "in_channels": 3,
    "image_size": 336,
    "patch_size": 14,
    "spatial_merge_size": 2,
    "temporal_patch_size": 2,
    "out_hidden_size": 4096,
    "intermediate_size": 13696,
}


def architecture(r: Reader) -> Architecture:
    return glm4_moe.architecture(sub_reader(r, "text_config", {}), TEXT_DEFAULTS, bias=True, qk_norm_key=None)


def vision_parts(r: Reader) -> tuple[Part, ...]:
    """GLM-4V's tower, its downsampling convolution and its patch merger (glm4v shares them)."""
    vision = sub_reader(r, "vision_config", {})
    k = positive_ints(vision, VISION_DEFAULTS)
    d, out, merge, p = k["hidden_size"], k["out_hidden_size"], k["spatial_merge_size"], k["patch_size"]
    qkv_bias = vision.boolean("attention_bias", False)
    tower = EncoderStack(
        k["depth"],
        d,
        out,  # the blocks' MLP is out_hidden_size wide
        k["in_channels"],
        (k["temporal_patch_size"], p, p),
        patch_bias=True,
        n_position=(k["image_size"] // p) ** 2,
        qkv_bias=qkv_bias,
        out_bias=False,
        mlp="gated",
        mlp_bias=False,
        norm="rmsnorm",
        post_norm=True,
    )
    downsample = LayerGroup(
        "downsample",
        (Norm("norm_post_conv", d), Weight("W_downsample", (out, d, merge, merge)), Weight("b_downsample", (out,))),
        "vision",
    )
    inner = k["intermediate_size"]
    merger = Projector(
        (
            Linear("proj", out, out, bias=False),
            Norm("norm", out, "layernorm"),
            Linear("merge_1", out, inner, bias=False),
            Linear("merge_3", out, inner, bias=False),
            Linear("merge_2", inner, out, bias=False),
        )
    )
    return (Part("vision", tower), Part("vision", downsample), Part("projector", merger))


def parts(r: Reader) -> tuple[Part, ...]:
    return vision_parts(r)
