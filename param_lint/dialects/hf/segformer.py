"""segformer: SegformerForSemanticSegmentation and its kin (SegFormer, the MiT encoders).

A hierarchical encoder of num_encoder_blocks stages, each keyed by a list with one entry a
stage (hidden_sizes, num_attention_heads, depths, patch_sizes, sr_ratios, mlp_ratios):
an overlapping patch embedding (a biased patch_sizes[s] square convolution from the
previous stage's width, num_channels at first, and a LayerNorm), depths[s] pre-LN blocks
and a LayerNorm after the stage. A block is ViT's (biased attention and MLP) plus, when
sr_ratios[s] > 1, the keys' and values' sequence reduction (a biased sr x sr convolution
and a LayerNorm), and in the MLP (hidden_sizes[s] * mlp_ratios[s] wide) a biased 3 x 3
depthwise convolution. No positions.

The record is the last stage (the one the heads read, as a standalone tower in vision.py:
its patch LayerNorm is norm_E, its stage norm the final norm), its patch embedding the
`embeddings` part; the earlier stages are `EncoderStack` parts `stage1`, `stage2` ...
(their patch embedding, layers and stage norm), and each stage's reductions and depthwise
convolutions are LayerGroups. SegformerForSemanticSegmentation adds the all-MLP decode
head (a dense from each stage to decoder_hidden_size, a bias-free 1 x 1 fuse, a BatchNorm,
a 1 x 1 classifier); SegformerForImageClassification a classifier over the last stage.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import EncoderStack, LayerGroup, Linear, Norm, Part, Weight
from .. import Reader
from .encoders import Head, head_of, num_labels
from .vision import stack_architecture

HEADS = {
    "SegformerModel": Head(),
    "SegformerForSemanticSegmentation": Head(dense=True),
    "SegformerForImageClassification": Head(classifier="labels"),
}
PER_STAGE_KEYS = ("hidden_sizes", "num_attention_heads", "depths", "patch_sizes", "sr_ratios", "mlp_ratios")
DEFAULTS = {
    "hidden_sizes": [32, 64, 160, 256],
    "num_attention_heads": [1, 2, 5, 8],
    "depths": [2, 2, 2, 2],
    "patch_sizes": [7, 3, 3, 3],
    "sr_ratios": [8, 4, 2, 1],
    "mlp_ratios": [4, 4, 4, 4],
}


def _stages(r: Reader) -> list[dict[str, int]]:
    """One mapping a stage: its width, heads, depth, patch, reduction ratio and MLP width."""
    n = r.integer("num_encoder_blocks", 4, minimum=1)
    lists = {}
    for key in PER_STAGE_KEYS:
        values = r.sequence(key, DEFAULTS[key])
        if len(values) < n or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values[:n]):
            r.fail(key, f"{key} must list a positive integer for each of the {n} stages, got {values!r}")
        lists[key] = values
    stages = []
    for s in range(n):
        d, heads = lists["hidden_sizes"][s], lists["num_attention_heads"][s]
        if d % heads:
            r.fail("num_attention_heads", f"stage {s + 1}: hidden_sizes ({d}) is not a multiple of its {heads} heads")
        stages.append(
            {
                "d": d,
                "heads": heads,
                "depth": lists["depths"][s],
                "patch": lists["patch_sizes"][s],
                "sr": lists["sr_ratios"][s],
                "d_ff": int(d * lists["mlp_ratios"][s]),
                "in": r.integer("num_channels", 3, minimum=1) if s == 0 else lists["hidden_sizes"][s - 1],
            }
        )
    return stages


def _stack(stage: dict[str, int]) -> EncoderStack:
    return EncoderStack(
        stage["depth"],
        stage["d"],
        stage["d_ff"],
        stage["in"],
        (stage["patch"], stage["patch"]),
        patch_bias=True,
        pre_norm=True,
        post_norm=True,
    )


def architecture(r: Reader) -> Architecture:
    head_of(r, HEADS, "SegformerModel")
    last = _stages(r)[-1]
    return stack_architecture(_stack(last), last["heads"])


def _convolutions(stage: dict[str, int]) -> tuple[Linear | Norm | Weight, ...]:
    d = stage["d"]
    layers: tuple[Linear | Norm | Weight, ...] = ()
    if stage["sr"] > 1:
        layers += (
            Weight("W_sr", (d, d, stage["sr"], stage["sr"])),
            Weight("b_sr", (d,)),
            Norm("norm_sr", d, "layernorm"),
        )
    return (*layers, Weight("W_dw", (stage["d_ff"], 1, 3, 3)), Weight("b_dw", (stage["d_ff"],)))


def parts(r: Reader) -> tuple[Part, ...]:
    head = head_of(r, HEADS, "SegformerModel")[1]
    stages = _stages(r)
    parts: list[Part] = []
    for s, stage in enumerate(stages[:-1], start=1):
        parts.append(Part(f"stage{s}", _stack(stage)))
        parts.append(Part(f"stage{s}", LayerGroup("convolutions", _convolutions(stage), "attention", stage["depth"])))
    last = stages[-1]
    patch = (Weight("W_patch", (last["d"], last["in"], last["patch"], last["patch"])), Weight("b_patch", (last["d"],)))
    parts.append(Part("embeddings", LayerGroup("patch embedding", patch, "embedding")))
    parts.append(Part("encoder", LayerGroup("convolutions", _convolutions(last), "attention", last["depth"])))
    if head.dense:
        width = r.integer("decoder_hidden_size", 256, minimum=1)
        decode: list[Linear | Norm | Weight] = [
            Linear(f"decode{s}", stage["d"], width) for s, stage in enumerate(stages, 1)
        ]
        decode += [  # 1 x 1 convolutions, kept as their kernels
            Weight("W_fuse", (width, width * len(stages), 1, 1)),
            Norm("norm_fuse", width, "layernorm"),  # a BatchNorm's weight and bias
            Weight("W_seg", (num_labels(r), width, 1, 1)),
            Weight("b_seg", (num_labels(r),)),
        ]
        parts.append(Part("head", LayerGroup("decode head", tuple(decode))))
    if head.classifier is not None:
        parts.append(Part("head", LayerGroup("classifier", (Linear("cls", last["d"], num_labels(r)),))))
    return tuple(parts)
