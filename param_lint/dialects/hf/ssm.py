"""Readers shared by the state-space and hybrid families: the layer pattern and the mixers.

A hybrid family lists, layer by layer, its token mixers and feed-forward; `stack` groups
equal layers into `Layers` (in order of first appearance) for `Architecture.layers`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ...architecture import Layers, Mixer
from .. import Reader


def stack(pattern: Sequence[tuple[tuple[Mixer, ...], str, int]]) -> tuple[Layers, ...]:
    """(mixers, ffn, norms) per layer -> groups of equal layers, first appearance first."""
    indices: dict[tuple[tuple[Mixer, ...], str, int], list[int]] = {}
    for index, layer in enumerate(pattern):
        indices.setdefault(layer, []).append(index)
    return tuple(Layers(len(at), mixers, ffn, norms, tuple(at)) for (mixers, ffn, norms), at in indices.items())


def layer_types(r: Reader, n_layer: int, kinds: Sequence[str], default: list[str] | None = None) -> list[str]:
    """The `layer_types` list: one of `kinds` per layer, as many as num_hidden_layers."""
    if not r.has("layer_types"):
        if default is None:
            r.fail("layer_types", "layer_types is required: it says which layers have attention")
        return default
    types = r.sequence("layer_types", field="layers")
    for index, kind in enumerate(types):
        if kind not in kinds:
            r.fail("layer_types", f"layer_types[{index}] is {kind!r}; expected one of {', '.join(kinds)}")
    if len(types) != n_layer:
        r.fail("layer_types", f"layer_types lists {len(types)} layers but num_hidden_layers is {n_layer}")
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
