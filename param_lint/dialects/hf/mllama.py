"""mllama: MllamaForConditionalGeneration (Llama 3.2 Vision 11B and 90B).

The text model is a Llama whose stack interleaves two kinds of layer: the layers listed in
`cross_attention_layers` attend to the image instead of the text (Architecture.layers, the
"cross-attention" mixer: the same projections, q/k RMSNorms over d_head, tanh gates on the
attention and MLP outputs); the others are ordinary self-attention layers. Its token
embedding has 8 rows more than the vocabulary (`extra_token_rows`), lm_head does not.

The vision tower is two encoders over the tiles of an image: a local one (`num_hidden_layers`
bias-free attention blocks with a biased GELU MLP and LayerNorms, an EncoderStack with its
bias-free patch convolution, [CLS] vector, learned positions, layernorm_pre and
layernorm_post) and a global one (`num_global_layers` of the same blocks, each with two tanh
gates), plus gated embeddings per aspect ratio: one before and one after the local encoder
(max_num_tiles x width each) and one per tile and patch position. The projector is one
biased linear layer from vision_output_dim to the text width.
"""

from __future__ import annotations

from typing import Any

from ...architecture import Architecture
from ...parts import EncoderStack, LayerGroup, Linear, Norm, Part, Projector, Weight
from .. import Reader
from .common import llama_like
from .ssm import stack
from .towers import positive_ints, sub_reader

# MllamaTextConfig's defaults (Llama 3.2 11B Vision's text model); no head_dim key.
TEXT_DEFAULTS: dict[str, Any] = {
    "vocab_size": 128256,
    "hidden_size": 4096,
    "intermediate_size": 14336,
    "num_hidden_layers": 40,
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "max_position_embeddings": 131072,
    "tie_word_embeddings": False,
}
CROSS_ATTENTION_LAYERS = [3, 8, 13, 18, 23, 28, 33, 38]
# MllamaVisionConfig's defaults.
VISION_DEFAULTS = {
    "hidden_size": 1280,
    "intermediate_size": 5120,
    "num_hidden_layers": 32,
    "num_global_layers": 8,
    "num_channels": 3,
    "image_size": 448,
    "patch_size": 14,
    "max_num_tiles": 4,
    "vision_output_dim": 7680,
}
ASPECT_RATIOS = [[1, 1], [1, 2], [1, 3], [1, 4], [2, 1], [2, 2], [3, 1], [4, 1]]


def architecture(r: Reader) -> Architecture:
    text = sub_reader(r, "text_config", {})
    n_layer = text.integer("num_hidden_layers", TEXT_DEFAULTS["num_hidden_layers"], minimum=1)
    cross = text.sequence("cross_attention_layers", CROSS_ATTENTION_LAYERS, field="layers")
    for index, layer in enumerate(cross):
        if isinstance(layer, bool) or not isinstance(layer, int):
            text.fail("cross_attention_layers", f"cross_attention_layers[{index}] must be a layer index, got {layer!r}")
    kinds = [("cross-attention" if index in cross else "attention",) for index in range(n_layer)]
    return llama_like(text, TEXT_DEFAULTS, extra_token_rows=8, layers=stack([(mixers, "dense", 2) for mixers in kinds]))


def _vision_keys(vision: Reader) -> dict[str, int]:
    return positive_ints(vision, VISION_DEFAULTS)


def parts(r: Reader) -> tuple[Part, ...]:
    vision = sub_reader(r, "vision_config", {})
    k = _vision_keys(vision)
    d, d_ff, patch = k["hidden_size"], k["intermediate_size"], k["patch_size"]
    heads_key = "attention_heads" if vision.has("attention_heads") else "num_attention_heads"
    heads = vision.integer(heads_key, 16, minimum=1)
    if d % heads:
        vision.fail(heads_key, f"hidden_size ({d}) is not a multiple of {heads_key} ({heads})")
    if not vision.has("supported_aspect_ratios") and k["max_num_tiles"] != 4:
        vision.fail("max_num_tiles", "max_num_tiles must be 4 for the default supported_aspect_ratios")
    n_ratio = len(vision.sequence("supported_aspect_ratios", ASPECT_RATIOS)) + 1
    n_patch = (k["image_size"] // patch) ** 2 + 1
    tiles = k["max_num_tiles"]
    local = EncoderStack(
        k["num_hidden_layers"],
        d,
        d_ff,
        k["num_channels"],
        (patch, patch),
        n_position=n_patch,
        class_token=True,
        qkv_bias=False,
        out_bias=False,
        pre_norm=True,
        post_norm=True,
    )
    block: tuple[Linear | Norm | Weight, ...] = (
        *(Linear(name, d, d, bias=False) for name in ("Q", "K", "V", "O")),
        Linear("1", d, d_ff),
        Linear("2", d_ff, d),
        Norm("norm_1", d, "layernorm"),
        Norm("norm_2", d, "layernorm"),
        Weight("gate_attn", (1,)),
        Weight("gate_ffn", (1,)),
    )
    global_layers = LayerGroup("global layer", block, "vision", k["num_global_layers"])
    tile_embeddings = LayerGroup(
        "tile embeddings",
        (
            Weight("W_tile_pre", (n_ratio, tiles * d)),
            Weight("gate_tile_pre", (1,)),
            Weight("W_P_tile", (n_ratio, tiles * n_patch * d)),
            Weight("gate_P", (1,)),
            Weight("W_tile_post", (n_ratio, tiles * d)),
            Weight("gate_tile_post", (1,)),
        ),
        "embedding",
    )
    projector = Projector((Linear("proj", k["vision_output_dim"], architecture(r).d_model),))
    return (
        Part("vision", local),
        Part("vision", global_layers),
        Part("vision", tile_embeddings),
        Part("projector", projector),
    )
