"""Shapes: the expected shape of each named weight, and checks of the declared ones.

Shapes are in the x·W convention, (in, out), as in "Attention Is All You Need";
`weight_layout: out_in` declares PyTorch's nn.Linear layout (out, in) instead. Embedding
tables (W_E, W_P) are (rows, width) in both conventions.
"""

from __future__ import annotations

from dataclasses import dataclass

from .architecture import Architecture, Attention

EMBEDDINGS = ("W_E", "W_P")


@dataclass(frozen=True)
class Expected:
    """One accepted shape of a weight, in symbols and in numbers."""

    symbols: tuple[str, ...]
    shape: tuple[int, ...]

    def __str__(self) -> str:
        return f"({', '.join(self.symbols)}) = {format_shape(self.shape)}"


def format_shape(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def names(arch: Architecture) -> dict[str, int]:
    """The hyperparameters a declared shape may name."""
    values = {
        "n_vocab": arch.n_vocab,
        "n_context": arch.n_context,
        "n_layer": arch.n_layer,
        "d_model": arch.d_model,
        "n_head": arch.n_head,
        "d_head": arch.d_head,
        "n_kv_head": arch.n_kv_head,
        "d_ff": arch.d_ff,
        "d_embed": arch.d_token,
        "d_head_v": arch.d_v,
        "position_offset": arch.position_offset,
    }
    if arch.is_moe:
        values.update(n_expert=arch.n_expert, d_ff_expert=arch.d_ff_expert)
    return values


def expected_shapes(arch: Architecture) -> dict[str, list[Expected]]:
    """Every accepted (in, out) shape of each named weight the model has.

    Q, K, V and O may be declared for all heads at once or for one head, as the
    article does; W_O always maps back to d_model, the residual stream.
    """
    a = arch
    shapes: dict[str, list[Expected]] = {}
    if a.token_embedding:  # a standalone tower reads no token ids: no W_E
        d_token = "d_embed" if a.d_embed else "d_model"
        rows = ("n_vocab+extra_token_rows",) if a.extra_token_rows else ("n_vocab",)
        shapes["W_E"] = [Expected((*rows, d_token), (a.n_vocab + a.extra_token_rows, a.d_token))]
    if a.position_embedding == "learned":
        rows = ("n_context+position_offset",) if a.position_offset else ("n_context",)
        shapes["W_P"] = [Expected((*rows, "d_model"), (a.n_context + a.position_offset, a.d_model))]
    if a.has_attention:  # not a stack of state-space mixers or DeepSeek-V4's compressed attention
        shapes.update(_attention_shapes(a))
    widths = [("d_ff", a.d_ff)] if a.has_dense_mlp else []
    widths += [(f"{w}*d_ff", w * a.d_ff) for w in sorted({g.ffn_width for g in a.layers if g.ffn_width > 1})]
    inputs = [("d_model", a.d_model)] * len(widths)
    if a.is_moe:
        widths.append(("d_ff_expert", a.d_ff_expert))
        latent = a.d_expert_latent  # latent experts read and write d_expert_latent wide
        inputs.append(("d_model", a.d_model) if latent is None else ("d_expert_latent", latent))
    if widths:  # not a stack without feed-forward (Mamba)
        shapes["W_1"] = [Expected((i, s), (d_in, d)) for (i, d_in), (s, d) in zip(inputs, widths, strict=True)]
        shapes["W_2"] = [Expected((s, i), (d, d_in)) for (i, d_in), (s, d) in zip(inputs, widths, strict=True)]
        if a.mlp == "gated":
            shapes["W_3"] = list(shapes["W_1"])
    if a.unembedding and a.token_embedding:
        shapes["W_U"] = [Expected(("d_model" if not a.d_embed else "d_embed", "n_vocab"), (a.d_token, a.n_vocab))]
    return shapes


def _attention_shapes(a: Architecture) -> dict[str, list[Expected]]:
    """W_Q, W_K, W_V and W_O, for all heads or one; layers with attention of their own widths
    (`Attention` mixers: Gemma 4's global layers) add theirs."""
    shapes: dict[str, list[Expected]] = {}
    if a.kv_lora_rank is None:
        shapes["W_Q"] = [
            Expected(("d_model", "n_head*d_head"), (a.d_model, a.n_head * a.d_head)),
            Expected(("d_model", "d_head"), (a.d_model, a.d_head)),
        ]
        for name in ("W_K", "W_V"):
            width, symbol = (a.d_v, "d_head_v") if name == "W_V" and a.d_head_v else (a.d_head, "d_head")
            shapes[name] = [
                Expected(("d_model", f"n_kv_head*{symbol}"), (a.d_model, a.n_kv_head * width)),
                Expected(("d_model", symbol), (a.d_model, width)),
            ]
    v_symbol = "d_head_v" if a.d_head_v else "d_head"
    shapes["W_O"] = [
        Expected((f"n_head*{v_symbol}", "d_model"), (a.n_head * a.d_v, a.d_model)),
        Expected((v_symbol, "d_model"), (a.d_v, a.d_model)),
    ]
    own = [m for g in a.layers for m in g.mixers if isinstance(m, Attention)]
    for m in dict.fromkeys(own):
        head, kv = f"d_head({m.name})", f"n_kv_head({m.name})"
        widths = {"W_Q": (f"n_head*{head}", a.n_head * m.d_head), "W_O": (f"n_head*{head}", a.n_head * m.d_head)}
        if m.keys:
            widths["W_K"] = (f"{kv}*{head}", m.n_kv_head * m.d_head)
            if m.values:
                widths["W_V"] = (f"{kv}*{head}", m.n_kv_head * m.d_head)
        for name, (symbol, width) in widths.items():
            pairs = [(symbol, width), (head, m.d_head)]
            for sym, w in pairs:
                e = (
                    Expected((sym, "d_model"), (w, a.d_model))
                    if name == "W_O"
                    else Expected(("d_model", sym), (a.d_model, w))
                )
                shapes.setdefault(name, []).append(e)
    return shapes


def in_layout(name: str, shape: tuple[int, ...], layout: str) -> tuple[int, ...]:
    """A declared shape turned into the (in, out) convention."""
    if layout == "out_in" and name not in EMBEDDINGS:
        return tuple(reversed(shape))
    return shape


@dataclass(frozen=True)
class Mismatch:
    """A declared shape that matches no accepted shape, and what it was probably meant as."""

    name: str
    declared: tuple[int, ...]  # as written
    expected: Expected
    explanations: tuple[tuple[str, str], ...]  # (id, message) of known wrong patterns it matches


def compare(name: str, declared: tuple[int, ...], arch: Architecture, layout: str) -> Mismatch | None:
    """None when `declared` (in `layout`) is an accepted shape of `name`, else the mismatch."""
    accepted = expected_shapes(arch).get(name, [])
    shape = in_layout(name, declared, layout)
    if not accepted or any(shape == e.shape for e in accepted):
        return None
    return Mismatch(name, declared, accepted[0], tuple(_known_mistakes(name, shape, arch, layout, accepted)))


def _known_mistakes(
    name: str, shape: tuple[int, ...], arch: Architecture, layout: str, accepted: list[Expected]
) -> list[tuple[str, str]]:
    """Known wrong patterns that `shape` (already in (in, out)) matches exactly."""
    a = arch
    found = []
    if name == "W_O":
        if shape == (a.n_head * a.d_v, a.d_head) and a.d_head != a.d_model:
            found.append(
                (
                    "wo_shape",
                    "this is the article's mistake: (n_head*d_head, d_head) projects the heads to one head's width",
                )
            )
        if shape == (a.d_head, a.d_head) and a.d_head != a.d_model:
            found.append(("wo_head_square", "(d_head, d_head) is one head's square matrix, not the output projection"))
    transposed = tuple(reversed(shape))
    if len(shape) == 2 and transposed == accepted[0].shape and name not in EMBEDDINGS:
        if layout == "in_out":
            found.append(
                (
                    "out_in_layout",
                    "the shape is (out, in), PyTorch's nn.Linear layout; set weight_layout: out_in to declare that",
                )
            )
        else:
            found.append(("in_out_layout", "the shape is (in, out); weight_layout: out_in expects (out, in)"))
    swapped = {"W_1": "W_2", "W_2": "W_1", "W_3": "W_2"}.get(name)
    if swapped:
        others = expected_shapes(a).get(swapped, [])
        if any(shape == e.shape for e in others):
            found.append(("mlp_swapped", f"this is the shape of {swapped}: W_1 and W_2 look swapped"))
    return found


def describe(mismatch: Mismatch, layout: str) -> str:
    """The finding's message: what the weight is, what it must be, and why."""
    expected = mismatch.expected
    symbols, shape = expected.symbols, expected.shape
    if layout == "out_in" and mismatch.name not in EMBEDDINGS:
        symbols, shape = tuple(reversed(symbols)), tuple(reversed(shape))
    must = f"({', '.join(symbols)}) = {format_shape(shape)}"
    why = PURPOSE.get(mismatch.name, "")
    return f"{mismatch.name} is {format_shape(mismatch.declared)} but must be {must}{': ' + why if why else ''}"


PURPOSE = {
    "W_O": "it maps the concatenated heads back to the residual stream",
    "W_Q": "it maps the residual stream to the queries of all heads",
    "W_K": "it maps the residual stream to the keys of the key/value heads",
    "W_V": "it maps the residual stream to the values of the key/value heads",
    "W_1": "it maps the residual stream up to the feed-forward width",
    "W_3": "the gate maps the residual stream up to the feed-forward width",
    "W_2": "it maps the feed-forward width back down to the residual stream",
    "W_E": "one row per token of the vocabulary",
    "W_P": "one row per position of the context",
    "W_U": "it maps the residual stream to one logit per token",
}


def absent_reason(name: str, arch: Architecture) -> str:
    """Why the model has no weight called `name`."""
    if name == "W_P":
        return f"the model has no learned position matrix W_P (position_embedding is {arch.position_embedding})"
    if name in ("W_1", "W_2", "W_3") and "W_1" not in expected_shapes(arch):
        return f"the model has no {name}: no layer has a feed-forward MLP"
    if name == "W_3":
        return "the model has no W_3: its MLP is standard (W_1, W_2); W_3 is the gate of a gated MLP"
    if name in ("W_Q", "W_K", "W_V", "W_O") and not arch.has_attention:
        return f"the model has no {name}: no layer has the attention it belongs to"
    if name in ("W_Q", "W_K", "W_V"):
        return f"the model has no single {name}: its attention uses low-rank latent projections"
    if name == "W_E":
        return "the model has no token embedding W_E: it reads no token ids"
    return f"the model has no weight {name}"
