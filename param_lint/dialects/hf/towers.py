"""Towers and text models of composite (multimodal) Hugging Face configs.

A composite config nests the text model under `text_config` (its own model_type, counted by
that family's adapter) and a vision tower under `vision_config`, whose model_type picks one
of the `TOWERS` below: each reads its transformers config class's keys (with its defaults)
into an `EncoderStack`. Tower keys set no Architecture field, so findings about the text
model keep pointing at the text model's keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...architecture import Architecture
from ...parts import EncoderStack, Weight
from .. import CannotCount, Reader
from .common import truth


def sub_reader(r: Reader, key: str, absent: Mapping[str, Any] | None = None) -> Reader:
    """The nested config at `key`; `absent` stands in when the file has none (the class default)."""
    if not r.has(key) and absent is not None:
        return Reader(absent, r.path(key), {})
    return r.mapping(key)


def text_model(r: Reader, default_type: str, absent: Mapping[str, Any] | None = None) -> Architecture:
    """The text model under text_config, counted by the family its model_type names."""
    from . import FAMILIES

    text = sub_reader(r, "text_config", absent)
    model_type = text.string("model_type", default_type)
    family = FAMILIES.get(model_type)
    if family is None or hasattr(family, "parts"):
        raise CannotCount(text.path("model_type"), f"cannot count a text model of model_type {model_type!r} yet")
    return family.architecture(text)


def positive_ints(r: Reader, defaults: Mapping[str, int]) -> dict[str, int]:
    """Each key of `defaults` as a positive integer, the default where the file has none."""
    return {key: r.integer(key, default, minimum=1) for key, default in defaults.items()}


VIT_KEYS = {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12, "num_channels": 3}


def vit_stack(k: Mapping[str, int], n_position: int, **layout: Any) -> EncoderStack:
    """An EncoderStack of square patches from VIT_KEYS and patch_size as read into `k`."""
    return EncoderStack(
        k["num_hidden_layers"],
        k["hidden_size"],
        k["intermediate_size"],
        k["num_channels"],
        (k["patch_size"], k["patch_size"]),
        n_position=n_position,
        **layout,
    )


def square_patches(r: Reader, patch_size: int, **layout: Any) -> EncoderStack:
    """The ViT layout shared by SigLIP, CLIP and ViT: square patches of a square image under
    the usual keys (with their defaults), one learned position per patch, plus one for the
    [CLS] vector when `layout` has `class_token`; `layout` sets the rest of the EncoderStack."""
    k = positive_ints(r, VIT_KEYS | {"image_size": 224, "patch_size": patch_size})
    patches = (k["image_size"] // k["patch_size"]) ** 2
    return vit_stack(k, patches + (1 if layout.get("class_token") else 0), **layout)


def siglip(r: Reader) -> EncoderStack:
    """SiglipVisionModel: patches with a bias, learned positions, layernorms with biases,
    a final layernorm, and the attention-pooling head unless vision_use_head is false (or null)."""
    return square_patches(r, 16, patch_bias=True, post_norm=True, pooling_head=truth(r, "vision_use_head", True))


def clip(r: Reader) -> EncoderStack:
    """CLIPVisionModel: bias-free patches, a [CLS] vector, one position per patch plus [CLS],
    a layernorm before the stack (pre_layrnorm) and one after it."""
    return square_patches(r, 32, class_token=True, pre_norm=True, post_norm=True)


def pixtral(r: Reader) -> EncoderStack:
    """PixtralVisionModel: bias-free patches and projections, 2-D rotary positions (no
    weights), RMSNorms, a gated MLP; an RMSNorm before the stack (ln_pre), none after.
    Its attention is hidden_size wide whatever head_dim says."""
    k = positive_ints(r, {"hidden_size": 1024, "intermediate_size": 4096, "num_hidden_layers": 24, "num_channels": 3})
    patch = r.integer("patch_size", 16, minimum=1)
    return EncoderStack(
        k["num_hidden_layers"],
        k["hidden_size"],
        k["intermediate_size"],
        k["num_channels"],
        (patch, patch),
        qkv_bias=False,
        out_bias=False,
        mlp="gated",
        mlp_bias=False,
        norm="rmsnorm",
        pre_norm=True,
    )


def siglip2(r: Reader) -> EncoderStack:
    """Siglip2VisionModel (NaFlex): SigLIP's tower, but the patch embedding is a linear layer
    over flattened num_channels x patch_size² pixels and there are num_patches learned
    positions (resized to the image at run time), whatever the image size."""
    k = positive_ints(r, VIT_KEYS | {"patch_size": 16, "num_patches": 256})
    return vit_stack(
        k, k["num_patches"], patch_bias=True, post_norm=True, pooling_head=truth(r, "vision_use_head", True)
    )


TOWERS: dict[str, Callable[[Reader], EncoderStack]] = {
    "siglip_vision_model": siglip,
    "siglip2_vision_model": siglip2,
    "clip_vision_model": clip,
    "pixtral": pixtral,
}


def tower_under(
    r: Reader,
    key: str,
    kind: str,
    towers: Mapping[str, Callable[[Reader], EncoderStack]],
    default_type: str,
    absent: Mapping[str, Any] | None,
) -> EncoderStack:
    """The `kind` tower under `key`, read by the one of `towers` its model_type names."""
    config = sub_reader(r, key, absent)
    model_type = config.string("model_type", default_type)
    tower = towers.get(model_type)
    if tower is None:
        known = ", ".join(sorted(towers))
        raise CannotCount(config.path("model_type"), f"cannot count a {model_type!r} {kind} tower yet; towers: {known}")
    return tower(config)


def vision_tower(r: Reader, default_type: str, absent: Mapping[str, Any] | None = None) -> EncoderStack:
    """The vision tower under vision_config, read by the tower its model_type names."""
    return tower_under(r, "vision_config", "vision", TOWERS, default_type, absent)


def feature_layers(r: Reader, default: int | list[int]) -> int:
    """How many vision layers' outputs the projector concatenates (vision_feature_layer).
    A null (transformers' len(None) refuses it) or an empty list (a projector 0 wide, which
    no forward pass can feed) is PL101."""
    value = r.data.get("vision_feature_layer", default)
    if value is None or value == []:
        what = "null" if value is None else "empty"
        r.fail("vision_feature_layer", f"vision_feature_layer is {what}: the projector needs a vision layer's output")
    if isinstance(value, list):
        return len(value)
    r.integer("vision_feature_layer", default, minimum=-(2**31))
    return 1


def whisper_encoder(r: Reader, keys: Mapping[str, str]) -> EncoderStack:
    """Whisper's audio encoder as Qwen2-Audio and Voxtral build it: two 3-wide convolutions
    with biases from num_mel_bins to the model width, max_source_positions learned position
    rows, pre-LN blocks (LayerNorms with biases, biases on every projection but W_K, a GELU
    MLP with biases) and a final LayerNorm. `keys` names the widths in the config's own
    spelling (Qwen2AudioEncoderConfig: d_model ..., VoxtralEncoderConfig: hidden_size ...);
    the defaults are both classes' (Whisper large-v3's encoder)."""
    defaults = {"d_model": 1280, "n_layer": 32, "d_ff": 5120, "n_head": 20}
    k = {name: r.integer(key, defaults[name], minimum=1) for name, key in keys.items()}
    n_mel = r.integer("num_mel_bins", 128, minimum=1)
    n_source = r.integer("max_source_positions", 1500, minimum=1)
    d = k["d_model"]
    if d % k["n_head"]:
        r.fail(keys["n_head"], f"{keys['d_model']} ({d}) is not a multiple of {keys['n_head']} ({k['n_head']})")
    front = (
        Weight("W_conv1", (d, n_mel, 3)),
        Weight("b_conv1", (d,)),
        Weight("W_conv2", (d, d, 3)),
        Weight("b_conv2", (d,)),
    )
    return EncoderStack(
        k["n_layer"], d, k["d_ff"], n_mel, (), n_position=n_source, key_bias=False, post_norm=True, front=front
    )


def qwen2_audio_encoder(r: Reader) -> EncoderStack:
    return whisper_encoder(
        r,
        {
            "d_model": "d_model",
            "n_layer": "encoder_layers",
            "d_ff": "encoder_ffn_dim",
            "n_head": "encoder_attention_heads",
        },
    )


def voxtral_encoder(r: Reader) -> EncoderStack:
    """VoxtralEncoderConfig names the widths as a decoder does (d_model etc. are aliases)."""
    from .common import key_of

    keys = {
        "d_model": key_of(r, ("hidden_size", "d_model")),
        "n_layer": key_of(r, ("num_hidden_layers", "encoder_layers")),
        "d_ff": key_of(r, ("intermediate_size", "encoder_ffn_dim")),
        "n_head": key_of(r, ("num_attention_heads", "encoder_attention_heads")),
    }
    return whisper_encoder(r, keys)


AUDIO_TOWERS: dict[str, Callable[[Reader], EncoderStack]] = {
    "qwen2_audio_encoder": qwen2_audio_encoder,
    "voxtral_encoder": voxtral_encoder,
}


def audio_tower(r: Reader, default_type: str) -> EncoderStack:
    """The audio tower under audio_config (the class default when absent), read by the
    tower its model_type names."""
    return tower_under(r, "audio_config", "audio", AUDIO_TOWERS, default_type, {})
