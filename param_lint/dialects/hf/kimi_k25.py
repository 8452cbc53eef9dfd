"""kimi_k25: Kimi-K2.5 (moonshotai/Kimi-K2.5 and its re-uploads; transformers 5 only). The
published files load through remote code (auto_map, architectures KimiK25ForConditionalGeneration);
transformers 5 has the model natively as Kimi_K25ForConditionalGeneration, whose count this is.
The text model under text_config (model_type kimi_k2 or deepseek_v3) is DeepSeek-V3's. The
vision tower (MoonViT) is a ViT: a biased square patch convolution over 3 channels, a learned
(pos_emb_height, pos_emb_width, hidden_size) position grid (its time axis is a sinusoid, no
weights), LayerNorm blocks with biased q/k/v/out projections and a plain biased MLP, a final
LayerNorm. The projector is a LayerNorm over projection_hidden_size, then two biased linear
layers from merge_kernel_size patches to the text width. transformers 5 reads its own vision
keys (hidden_size, num_hidden_layers ...), not the remote code's vt_* ones, which the published
files carry beside them with the same values. The top-level tie_word_embeddings (default
true) ties lm_head, not text_config's. quantization_config changes no count."""

from __future__ import annotations

from dataclasses import replace

from ...architecture import Architecture
from ...parts import EncoderStack, LayerGroup, Linear, Norm, Part, Projector, Weight
from .. import Reader
from .deepseek_v3 import architecture as deepseek_v3_architecture
from .towers import positive_ints, sub_reader

# Kimi_K25VisionConfig's defaults (transformers 5.24.0).
VISION_DEFAULTS = {
    "patch_size": 14,
    "pos_emb_height": 64,
    "pos_emb_width": 64,
    "num_hidden_layers": 27,
    "hidden_size": 1152,
    "intermediate_size": 4304,
}


def architecture(r: Reader) -> Architecture:
    text = deepseek_v3_architecture(sub_reader(r, "text_config", {}))
    # the top-level flag decides tying (Kimi_K25Config's default: true), as transformers 5 builds it
    return replace(text, tie_embeddings=r.boolean("tie_word_embeddings", True, field="tie_embeddings"))


def merge_kernel(vision: Reader) -> tuple[int, int]:
    value = vision.data.get("merge_kernel_size", (2, 2))
    if not (isinstance(value, list | tuple) and len(value) == 2 and all(type(n) is int and n >= 1 for n in value)):
        vision.fail("merge_kernel_size", f"merge_kernel_size must be two positive integers, got {value!r}")
    return value[0], value[1]


def parts(r: Reader) -> tuple[Part, ...]:
    vision = r.mapping("vision_config")
    k = positive_ints(vision, VISION_DEFAULTS)
    d = k["hidden_size"]
    tower = EncoderStack(
        k["num_hidden_layers"],
        d,
        k["intermediate_size"],
        3,
        (k["patch_size"], k["patch_size"]),
        patch_bias=True,
        post_norm=True,
    )
    positions = LayerGroup("positions", (Weight("W_P", (k["pos_emb_height"], k["pos_emb_width"], d)),), "embedding")
    rows, cols = merge_kernel(vision)
    merged = d * rows * cols
    norm = r.integer("projection_hidden_size", 1152, minimum=1)
    text_width = architecture(r).d_model
    projector = Projector(
        (Norm("norm", norm, "layernorm"), Linear("proj_1", merged, merged), Linear("proj_2", merged, text_width))
    )
    return (Part("vision", tower), Part("vision", positions), Part("projector", projector))
