"""Readers shared by the state-space and hybrid families: the layer pattern and the mixers.

A hybrid family lists, layer by layer, its token mixers and feed-forward; `stack` groups
equal layers into `Layers` (in order of first appearance) for `Architecture.layers`. The
Mamba-2 mixer is read once (`mamba2_mixer`) for every family that has it (mamba2,
granitemoehybrid, falcon_h1, nemotron_h), each naming its keys and defaults in a `Mamba2Keys`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ...architecture import Architecture, Layers, Mamba
from .. import Reader


def stack(pattern: Sequence[tuple[Any, ...]]) -> tuple[Layers, ...]:
    """(mixers, ffn, norms[, ffn_width]) per layer -> groups of equal layers, first appearance first."""
    indices: dict[tuple[Any, ...], list[int]] = {}
    for index, layer in enumerate(pattern):
        indices.setdefault(tuple(layer), []).append(index)
    return tuple(Layers(len(at), layer[0], layer[1], layer[2], tuple(at), *layer[3:]) for layer, at in indices.items())


def layer_types(r: Reader, n_layer: int, kinds: Sequence[str], default: list[str] | None = None) -> list[str]:
    """The `layer_types` list: one of `kinds` per layer, as many as num_hidden_layers."""
    if not r.has("layer_types"):
        if default is None:
            r.fail("layer_types", "layer_types is required: it says which layers have attention")
        return default
    return per_layer(r, "layer_types", n_layer, kinds)


def per_layer(r: Reader, key: str, n_layer: int, kinds: Sequence[str]) -> list[str]:
    """`key`'s list: one of `kinds` per layer, as many as num_hidden_layers."""
    types = r.sequence(key, field="layers")
    for index, kind in enumerate(types):
        if kind not in kinds:
            r.fail(key, f"{key}[{index}] is {kind!r}; expected one of {', '.join(kinds)}")
    if len(types) != n_layer:
        r.fail(key, f"{key} lists {len(types)} layers but num_hidden_layers is {n_layer}")
    return list(types)


def time_step_rank(r: Reader, key: str, d_model: int) -> int:
    """Mamba-1's dt_rank: an int, or "auto" (the default) for ceil(d_model / 16)."""
    value: Any = r.data.get(key, "auto")
    if value == "auto" or value is None:
        r.note("layers", key)
        return math.ceil(d_model / 16)
    return int(r.integer(key, field="layers", minimum=1))


def every(period: int, offset: int, index: int) -> bool:
    """Jamba's rule: layer `index` is of the kind when index % period == offset."""
    return index % period == offset


@dataclass(frozen=True)
class Mamba2Keys:
    """Where a family's config keeps its Mamba-2 mixer, each key with its class default.

    The width is `width` when the family has such a key (Falcon-H1's mamba_d_ssm; a null
    value, or a family without one, means `expand` x hidden_size); a family without `expand`
    (Nemotron-H) has n_head x head_dim. Otherwise `head_dim` is checked against the width (the
    value "auto" derives it); without it the heads must divide the width. `out_bias` and
    `gated_norm` are keys only some families have (else out_proj shares in_proj's bias and the
    gated RMSNorm is always there)."""

    n_head: tuple[str, int]
    d_state: tuple[str, int]
    d_conv: tuple[str, int]
    n_group: tuple[str, int]
    conv_bias: tuple[str, bool]
    proj_bias: tuple[str, bool]
    expand: tuple[str, int] | None = None
    width: tuple[str, int] | None = None
    head_dim: tuple[str, int | str] | None = None
    out_bias: tuple[str, bool] | None = None
    gated_norm: tuple[str, bool] | None = None


def mamba2_width(r: Reader, d_model: int, keys: Mamba2Keys) -> tuple[int, int]:
    """The mixer's heads and its width (d_inner), checked against each other."""
    heads = keys.n_head[0]
    n_head = r.integer(heads, keys.n_head[1], field="layers", minimum=1)
    if keys.expand is None:  # the heads' width
        key, default = keys.head_dim or ("", "auto")
        if not isinstance(default, int):
            raise TypeError("Mamba2Keys without expand need a head_dim with an integer default")
        return n_head, n_head * r.integer(key, default, field="layers", minimum=1)
    if keys.width is not None and r.data.get(keys.width[0], keys.width[1]) is not None:
        d_inner = r.integer(keys.width[0], keys.width[1], field="layers", minimum=1)
        width = keys.width[0]
    else:
        d_inner = r.integer(keys.expand[0], keys.expand[1], field="layers", minimum=1) * d_model
        width = f"{keys.expand[0]} x hidden_size"
    d_head: Any = "auto" if keys.head_dim is None else r.data.get(keys.head_dim[0], keys.head_dim[1])
    if d_head == "auto":
        if d_inner % n_head:
            r.fail(heads, f"{heads} ({n_head}) does not divide the mamba width, {width} ({d_inner})")
    elif keys.head_dim is not None:
        key, default = keys.head_dim
        if key in r.data and r.data[key] is None and not isinstance(default, int):
            # null is no stand-in for the default "auto": the config class keeps it and fails
            r.fail(key, f'{key} must be an integer or "auto", got null')
        d_head = r.integer(key, default, field="layers", minimum=1)
        if d_head * n_head != d_inner:
            at = key if r.has(key) else heads
            r.fail(at, f"{key} x {heads} ({d_head} x {n_head}) is not the mamba width, {width} ({d_inner})")
    return n_head, d_inner


def mamba2_mixer(r: Reader, d_model: int, keys: Mamba2Keys) -> Mamba:
    """The Mamba-2 mixer a family's keys describe (`Mamba2Keys`), its widths checked."""
    n_head, d_inner = mamba2_width(r, d_model, keys)
    optional: dict[str, Any] = {}
    if keys.out_bias is not None:
        optional["out_bias"] = r.boolean(keys.out_bias[0], keys.out_bias[1], field="layers")
    if keys.gated_norm is not None:
        optional["gated_norm"] = r.boolean(keys.gated_norm[0], keys.gated_norm[1], field="layers")
    return Mamba(
        d_inner=d_inner,
        d_state=r.integer(keys.d_state[0], keys.d_state[1], field="layers", minimum=1),
        d_conv=r.integer(keys.d_conv[0], keys.d_conv[1], field="layers", minimum=1),
        n_head=n_head,
        n_group=r.integer(keys.n_group[0], keys.n_group[1], field="layers", minimum=1),
        conv_bias=r.boolean(keys.conv_bias[0], keys.conv_bias[1], field="layers"),
        proj_bias=r.boolean(keys.proj_bias[0], keys.proj_bias[1], field="layers"),
        **optional,
    )


# The mamba_-prefixed names the hybrid families use (Granite 4.0-H's, with GraniteMoeHybridConfig's
# defaults; Falcon-H1 adds keys of its own to them).
HYBRID_MAMBA2_KEYS = Mamba2Keys(
    n_head=("mamba_n_heads", 128),
    d_state=("mamba_d_state", 256),
    d_conv=("mamba_d_conv", 4),
    n_group=("mamba_n_groups", 1),
    expand=("mamba_expand", 2),
    conv_bias=("mamba_conv_bias", True),
    proj_bias=("mamba_proj_bias", False),
)


def ssm_stack(r: Reader, mixer: Mamba, d_model: int, n_layer: int, n_vocab: int, tie: bool) -> Architecture:
    """A stack of state-space layers alone (Mamba, Mamba-2): one RMSNorm and the mixer per layer,
    no attention and no MLP, a final RMSNorm; `n_vocab` and `tie` are the class defaults."""
    return Architecture(
        n_vocab=r.integer("vocab_size", n_vocab, field="n_vocab", minimum=1),
        n_layer=n_layer,
        d_model=d_model,
        n_head=1,
        d_head=d_model,
        n_kv_head=1,
        d_ff=mixer.d_inner,
        position_embedding="none",
        tie_embeddings=r.boolean("tie_word_embeddings", tie, field="tie_embeddings"),
        norm="rmsnorm",
        layers=stack([((mixer,), "none", 1)] * n_layer),
    )
