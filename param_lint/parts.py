"""Parts of a composite model: towers and projectors beside the text model, as plain data.

A multimodal config is a text model (the `Architecture` every rule and diagnosis works on)
plus other named parts: a vision or audio tower, a projector into the text model's width.
A tower that is a transformer encoder (ViT, CLIP, SigLIP, Pixtral, Qwen-VL's ViT) is one
`EncoderStack`: widths, heads, layers, norms, biases, patch embedding and positions. A
projector is a short list of `Linear` / `Norm` / `Weight` layers. Each part is counted by a
pure function into its own `Section`s, tagged with the part's name, so the count of a
model is the text model's breakdown followed by its parts' sections.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import prod

from .architecture import Architecture
from .counting import Breakdown, Section, Term, count, linear_terms


@dataclass(frozen=True)
class EncoderStack:
    """A transformer encoder tower over image patches (pre-norm blocks, full attention).

    `patch` is the patch embedding's kernel over `n_channel` input channels: (p, p) for an
    image, (t, p, p) for video frames (Qwen-VL). `n_position` rows of a learned position
    matrix (0: rotary or none), `class_token` a learned [CLS] vector. `pre_norm` / `post_norm`
    are norms before and after the stack; `pooling_head` is SigLIP's attention-pooling head.
    An audio encoder (Qwen2-Audio's, Voxtral's: Whisper's encoder) has no patches (`patch`
    empty): its `front` layers (two convolutions over the mel bins) read the input instead,
    and `key_bias` false leaves W_K without the bias W_Q and W_V have. `d_head_norm`: RMSNorms
    of that width on queries and keys (Gemma 4's tower: head_dim); `norms`: d_model norms per
    layer (Gemma 4's tower has four, as its text model). `d_kv`: the width of W_K and W_V
    when the tower's attention has fewer key/value heads than query heads (EXAONE 4.5's GQA
    tower: num_key_value_heads x head width); 0 means d_model.
    """

    n_layer: int
    d_model: int
    d_ff: int
    n_channel: int
    patch: tuple[int, ...]
    patch_bias: bool = False
    n_position: int = 0
    class_token: bool = False
    qkv_bias: bool = True
    out_bias: bool = True
    mlp: str = "standard"  # standard: W_1, W_2 | gated: W_1, W_3 (gate), W_2
    mlp_bias: bool = True
    norm: str = "layernorm"  # layernorm (gain and bias) | rmsnorm (gain)
    pre_norm: bool = False
    post_norm: bool = False
    pooling_head: bool = False
    key_bias: bool = True
    front: tuple[Linear | Norm | Weight, ...] = ()
    d_head_norm: int = 0
    norms: int = 2
    d_kv: int = 0


@dataclass(frozen=True)
class Linear:
    """A projector matrix (d_in, d_out), with or without a bias."""

    name: str
    d_in: int
    d_out: int
    bias: bool = True


@dataclass(frozen=True)
class Norm:
    name: str
    width: int
    kind: str = "rmsnorm"  # rmsnorm | layernorm
    bias: bool = True  # layernorm only: False for a gain-only LayerNorm (ModernBERT's norm_bias)


@dataclass(frozen=True)
class Weight:
    """A bare learned tensor (Gemma 3's projection matrix, LLaVA-NeXT's image_newline)."""

    name: str
    shape: tuple[int, ...]


@dataclass(frozen=True)
class Projector:
    layers: tuple[Linear | Norm | Weight, ...]


@dataclass(frozen=True)
class LayerGroup:
    """A few layers of a model the flat `Architecture` has no field for, counted as one
    section named `section`: BERT's token-type embeddings, its pooler and MLM transform,
    a classification head. `copies` repeats the section (a norm in all layers but one)."""

    section: str
    layers: tuple[Linear | Norm | Weight, ...]
    group: str = "head"
    copies: int = 1


@dataclass(frozen=True)
class Part:
    """One named part of a model besides the text model (its `Architecture`)."""

    name: str  # vision, audio, projector; embeddings, head (an encoder's extra layers)
    spec: EncoderStack | Projector | LayerGroup


def count_model(architecture: Architecture, parts: Sequence[Part] = ()) -> Breakdown:
    """The text model's breakdown followed by each part's sections (a flat model: just count)."""
    text = count(architecture)
    if not parts:
        return text
    return Breakdown(text.sections + tuple(section for part in parts for section in part_sections(part)))


def part_sections(part: Part) -> tuple[Section, ...]:
    spec = part.spec
    if isinstance(spec, EncoderStack):
        sections = encoder_sections(spec)
    elif isinstance(spec, LayerGroup):
        sections = (Section(spec.section, spec.copies, tuple(layer_terms(spec.layers, spec.group))),)
    else:
        sections = (Section("projector", 1, tuple(projector_terms(spec))),)
    return tuple(section._replace(part=part.name) for section in sections)


def _norm(name: str, width: int, kind: str, group: str = "norm") -> list[Term]:
    terms = [Term(f"{name}.weight", (width,), group)]
    if kind == "layernorm":
        terms.append(Term(f"{name}.bias", (width,), group))
    return terms


def encoder_sections(e: EncoderStack) -> tuple[Section, ...]:
    """Embeddings (patches, positions, [CLS], pre-norm), the layers, and what follows them."""
    d = e.d_model
    if e.patch:
        embed = linear_terms("patch", e.n_channel * prod(e.patch), d, e.patch_bias, "embedding")
    else:
        embed = layer_terms(e.front, "embedding")
    if e.class_token:
        embed.append(Term("cls", (d,), "embedding"))
    if e.n_position:
        embed.append(Term("W_P", (e.n_position, d), "embedding"))
    if e.pre_norm:
        embed += _norm("norm_pre", d, e.norm)
    layer = linear_terms("Q", d, d, e.qkv_bias, "attention")
    d_kv = e.d_kv or d
    layer += linear_terms("K", d, d_kv, e.qkv_bias and e.key_bias, "attention")
    layer += linear_terms("V", d, d_kv, e.qkv_bias, "attention")
    layer += linear_terms("O", d, d, e.out_bias, "attention")
    if e.d_head_norm:
        for name in ("norm_Q", "norm_K"):
            layer += _norm(name, e.d_head_norm, e.norm, "attention")
    layer += _mlp(e, "")
    for index in range(1, e.norms + 1):
        layer += _norm(f"norm_{index}", d, e.norm)
    sections = [Section("embeddings", 1, tuple(embed)), Section("layer", e.n_layer, tuple(layer))]
    final = _norm("norm_final", d, e.norm) if e.post_norm else []
    if e.pooling_head:
        final.append(Term("probe", (d,), "head"))
        final += linear_terms("pool_QKV", d, 3 * d, True, "head") + linear_terms("pool_O", d, d, True, "head")
        final += _norm("norm_pool", d, "layernorm", "head") + _mlp(e, "pool_")
    if final:
        sections.append(Section("final", 1, tuple(final)))
    return tuple(sections)


def _mlp(e: EncoderStack, prefix: str) -> list[Term]:
    terms = linear_terms(f"{prefix}1", e.d_model, e.d_ff, e.mlp_bias, "feed-forward")
    if e.mlp == "gated":
        terms += linear_terms(f"{prefix}3", e.d_model, e.d_ff, e.mlp_bias, "feed-forward")
    return terms + linear_terms(f"{prefix}2", e.d_ff, e.d_model, e.mlp_bias, "feed-forward")


def projector_terms(p: Projector) -> list[Term]:
    return layer_terms(p.layers, "projector")


def layer_terms(layers: Sequence[Linear | Norm | Weight], group: str) -> list[Term]:
    terms: list[Term] = []
    for layer in layers:
        if isinstance(layer, Linear):
            terms += linear_terms(layer.name, layer.d_in, layer.d_out, layer.bias, group)
        elif isinstance(layer, Norm):
            terms += _norm(layer.name, layer.width, layer.kind if layer.bias else "rmsnorm", group)
        else:
            terms.append(Term(layer.name, layer.shape, group))
    return terms
