"""Diagnosis: why is a declared `expected_params` wrong?

Two kinds of explanation, both counted by the one counter in `counting.py`:

- The catalogue of known mistakes. Each is a what-if on the model, as plain data: the
  same Architecture with some fields changed (`no_attn_bias` sets qkv_bias and out_bias
  to False), the same breakdown with weights reshaped (`wo_shape`), or another reading of
  the final number (the active count, the count without embeddings, times 2 bytes...).
  Singles and pairs are tried; those landing within the tolerance are reported.
- One wrong hyperparameter. When no catalogue mistake fits exactly, each integer field
  of the Architecture that `UNKNOWNS` lists is solved for in turn, all else as the file
  says (fields it leaves to a rule follow: d_head = d_model / n_head ...): the count is
  a quadratic at most in any one field, so it is interpolated from three exact counts
  and its integer solutions found on its monotone pieces by bisection; fields whose
  valid values are a short list (heads, KV heads) are searched exhaustively. Every
  solution is counted again, and must be a valid model, before it is reported.

Runs only for files with a PL201 finding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import KW_ONLY, dataclass, field, fields, replace
from fractions import Fraction
from itertools import combinations
from typing import Any

from .architecture import Architecture, Attention, Layers
from .counting import Breakdown, attention_view, count, own_attention
from .dialects import ModelConfig
from .document import Document, Path
from .findings import Explanation
from .quantities import Tolerance

MAX_EXPLANATIONS = 3
PLAUSIBLE = 4  # a solved field stays within this factor of the file's value
LARGEST = 2**31  # the largest integer a config may give (see dialects.Reader.integer)

Shapes = Callable[[Architecture], Mapping[str, tuple[int, ...]]]


@dataclass(frozen=True)
class Mistake:
    """One known mistake: what it changes in the model, its breakdown, or the final number."""

    id: str
    says: str  # "with ..." / "without ...": completes "the count ..."
    changes: Mapping[str, Any] = field(default_factory=dict)  # Architecture fields it changes
    _: KW_ONLY
    reshape: Shapes | None = None  # weights it gives another shape, from the (changed) model
    reading: str = "count"  # count | active | non_embedding: which number was declared
    factor: Fraction = Fraction(1)  # ... and scaled by what (bytes, unit slips)
    group: str = ""  # mistakes of one group exclude each other in pairs


def catalogue(a: Architecture, active: bool = False, written: Mapping[str, int] | None = None) -> list[Mistake]:
    """The mistakes that could apply to `a` (each changes something this model has).

    `written` holds the numbers the file writes for fields the dialect reads as something
    else (a padded vocabulary, GPT-NeoX's FFN rule): another way to have miscounted.
    """
    written = written or {}
    q_width = a.n_head * a.d_head
    mistakes: list[Mistake] = []
    add = mistakes.append
    if a.d_head != a.d_model:
        add(_wo_shape(a))
    if a.qkv_bias or a.out_bias:
        add(
            Mistake(
                "no_attn_bias", "without the Q, K, V and O biases", {"qkv_bias": False, "out_bias": False}, group="bias"
            )
        )
    else:
        add(
            Mistake(
                "extra_attn_bias",
                "with Q, K, V and O biases, which this model does not have",
                {"qkv_bias": True, "out_bias": True},
                group="bias",
            )
        )
    add(_mlp_bias_default(a))
    if a.norm != "none":
        add(Mistake("no_norms", "without the normalisation parameters", {"norm": "none"}, group="norms"))
    if a.norm != "layernorm" or not a.norm_bias:
        add(
            Mistake(
                "extra_norms",
                f"with layernorm gains and biases, where this model has {_norm_words(a)}",
                {"norm": "layernorm", "norm_bias": True, "final_norm": True},
                group="norms",
            )
        )
    # A trainer that ties or unties the embedding against the model file (issue 10's
    # `tied_in_trainer`) is this same arithmetic, so it is named here rather than twice. A
    # model with no head over the vocabulary (a dual encoder's text tower) has none to tie.
    if a.unembedding and a.tie_embeddings:
        add(
            Mistake(
                "untied_head",
                "with a separate unembedding W_U; this model ties it to W_E, so it adds nothing "
                "(or a trainer setting unties what the model's config ties)",
                {"tie_embeddings": False},
                group="head",
            )
        )
    elif a.unembedding:
        add(
            Mistake(
                "tied_head",
                f"with the unembedding tied to W_E; this model has its own W_U ({a.d_token * a.n_vocab:,} parameters; "
                "or a trainer setting ties what the model's config unties)",
                {"tie_embeddings": True},
                group="head",
            )
        )
    if a.position_embedding == "learned":
        add(
            Mistake(
                "no_position",
                f"without the learned position matrix W_P ({a.n_context + a.position_offset} rows)",
                {"position_embedding": "none"},
            )
        )
    if a.n_kv_head != a.n_head and a.kv_lora_rank is None:
        add(
            Mistake(
                "mha_for_gqa",
                f"with n_kv_head = n_head = {a.n_head} (K and V as wide as Q); "
                f"this model has n_kv_head = {a.n_kv_head}",
                {"n_kv_head": a.n_head},
                group="kv",
            )
        )
    if a.mlp == "gated":
        add(
            Mistake(
                "ungated_mlp",
                "with 2 MLP matrices instead of 3: this gated MLP has W_1, the gate W_3, and W_2",
                {"mlp": "standard"},
                group="mlp",
            )
        )
    else:
        add(
            Mistake(
                "gated_mlp",
                "with 3 MLP matrices (a gated MLP) instead of this model's 2",
                {"mlp": "gated"},
                group="mlp",
            )
        )
    mistakes += _ffn_conventions(a, written)
    mistakes += _vocab_paddings(a, written.get("n_vocab"))
    if q_width != a.d_model and a.kv_lora_rank is None:
        mistakes += _attn_width(a, q_width)
    mistakes += _grouped_kv_heads(a)  # after attn_width: guesses of a KV head count, the vaguer
    if a.has_active_count and not active:  # not when the file gives no experts per token (null)
        add(
            Mistake(
                "active_for_total",
                "of the parameters active per token only (the routed experts a token uses)",
                reading="active",
                group="number",
            )
        )
    add(
        Mistake(
            "non_embedding",
            "without the embeddings (a non-embedding count, as in scaling-law papers)",
            reading="non_embedding",
            group="number",
        )
    )
    for size, kind in ((2, "16-bit"), (4, "32-bit")):
        add(
            Mistake(
                "bytes_not_params",
                f"in bytes at {size} bytes per parameter ({kind} weights), not in parameters",
                factor=Fraction(size),
                group="number",
            )
        )
    for scale in (10**3, 10**6):
        add(
            Mistake(
                "unit_slip",
                f"times {scale:,}: a unit slip, {scale:,} times too large",
                factor=Fraction(scale),
                group="number",
            )
        )
        add(
            Mistake(
                "unit_slip",
                f"divided by {scale:,}: a unit slip, {scale:,} times too small",
                factor=Fraction(1, scale),
                group="number",
            )
        )
    return mistakes


def _wo_shape(a: Architecture) -> Mistake:
    """W_O shaped (n_head*d_head, d_head), the article's mistake, in every layer: each kind of
    attention with its own head width (Gemma 4's global layers) is named with its shapes."""
    kinds: dict[tuple[int, int], str] = {}
    for group in a.layers or (Layers(a.n_layer, ("attention",)),):
        own = own_attention(group)
        view = attention_view(a, own) if own else a
        if any(mixer == "attention" or isinstance(mixer, Attention) for mixer in group.mixers):
            kinds.setdefault((view.n_head * view.d_v, view.d_head), own.name if own else "attention")
    wrong: list[str] = []
    right: list[str] = []
    for (o_width, d_head), name in kinds.items():
        where = "" if not wrong else f" in the {name} layers"
        wrong.append(f"({o_width}, {d_head}){where}")
        right.append(f"({o_width}, {a.d_model}){where}")
    return Mistake(
        "wo_shape",
        f"with W_O shaped (n_head*d_head, d_head) = {' and '.join(wrong)}; W_O maps the concatenated heads "
        f"back to d_model, so it is {' and '.join(right)}",
        reshape=_wo_as_d_head,
    )


def _wo_as_d_head(c: Architecture) -> dict[str, tuple[int, ...]]:
    return {"W_O": (c.n_head * c.d_v, c.d_head)}


def _mlp_bias_default(a: Architecture) -> Mistake:
    if a.mlp_bias:
        says = (
            "without the MLP biases, which this model has: a framework default may have turned them on "
            "where the count assumed none (GPT-NeoX's use_bias_in_mlp is true unless the file says false)"
        )
    else:
        says = (
            "with MLP biases, which this model does not have: a framework default that turns them on "
            "(GPT-NeoX's use_bias_in_mlp, Megatron's add_bias_linear) went into the count"
        )
    return Mistake("mlp_bias_default", says, {"mlp_bias": not a.mlp_bias}, group="mlp_bias")


GQA_KV_HEADS = (1, 2, 4, 8, 16)  # the KV head counts published grouped-query models use


def _grouped_kv_heads(a: Architecture) -> list[Mistake]:
    """gqa_for_mha: a multi-head model counted with a few KV heads (those GQA models publish)."""
    if a.kv_lora_rank is not None or a.n_kv_head != a.n_head:
        return []
    return [
        Mistake(
            "gqa_for_mha",
            f"with {kv} KV head{'s' if kv > 1 else ''} ({'multi-query' if kv == 1 else 'grouped-query'} attention, "
            f"K and V {kv * a.d_head:,} wide); this model gives each of its {a.n_head} heads its own K and V",
            {"n_kv_head": kv},
            group="kv",
        )
        for kv in GQA_KV_HEADS
        if kv < a.n_head and a.n_head % kv == 0
    ]


def _ffn_conventions(a: Architecture, written: Mapping[str, int]) -> list[Mistake]:
    """The FFN width read by another convention (issue 10's `ffn_convention`)."""
    name = "d_ff_expert" if a.is_moe and not a.n_dense_layer else "d_ff"
    width: int = getattr(a, name)
    readings: list[tuple[int, str]] = []
    if name in written:
        readings.append((written[name], f"the number the file writes, which this config's format reads as {width:,}"))
    if a.mlp == "gated":
        readings.append(
            (
                width // 2,
                f"the file's {width:,} read as the total width of the two gated branches (W_1 and the gate W_3 side "
                "by side, as OLMo's mlp_hidden_size and GPT-NeoX's linear1 are), each half of it",
            )
        )
        readings.append(
            (width * 2, f"each gated branch as wide as W_1 and the gate W_3 together ({width:,} each here)")
        )
        two_thirds = 2 * width // 3
        readings.append((two_thirds, f"2/3 of {width:,}, as a gated MLP scales an ungated width"))
        rounded = -(-two_thirds // 256) * 256
        readings.append((rounded, f"2/3 of {width:,} rounded up to a multiple of 256, Llama's rule"))
        if rounded % 2 == 0:
            readings.append(
                (
                    rounded // 2,
                    f"GPT-NeoX's rule for a gated MLP: 2/3 of {width:,} rounded up to a multiple of 256, "
                    "shared by W_1 and the gate W_3",
                )
            )
    mistakes, seen = [], {width}
    for value, why in readings:
        if value > 0 and value not in seen:
            seen.add(value)
            mistakes.append(Mistake("ffn_convention", f"with {name} = {value:,}: {why}", {name: value}, group="ffn"))
    return mistakes


def _vocab_paddings(a: Architecture, written: int | None) -> list[Mistake]:
    """The vocabulary padded as Megatron pads it (128 x the tensor-parallel size) or to 64."""
    mistakes, seen = [], {a.n_vocab}
    if written is not None and written < a.n_vocab:
        seen.add(written)
        mistakes.append(
            Mistake(
                "vocab_padding",
                f"with the vocabulary the file writes, {written:,}, without the padding to {a.n_vocab:,}",
                {"n_vocab": written},
                group="vocab",
            )
        )
    for start in (a.n_vocab,) if written is None else (written, a.n_vocab):
        for multiple in (64, 128, 256, 512, 1024):
            padded = -(-start // multiple) * multiple
            if padded in seen:
                continue
            seen.add(padded)
            how = f"a multiple of {multiple}"
            if multiple >= 128:
                how += f": Megatron's 128 x tensor-parallel size {multiple // 128}"
            mistakes.append(
                Mistake(
                    "vocab_padding",
                    f"with the vocabulary padded to {padded:,} ({how})",
                    {"n_vocab": padded},
                    group="vocab",
                )
            )
    return mistakes


def _attn_width(a: Architecture, q_width: int) -> list[Mistake]:
    """The attention width n_head*d_head taken as d_model.

    When n_head divides d_model that is a narrower head; otherwise (GPT-3 paper sizes such
    as d_model 2048 with 24 heads of 128) the projections are reshaped to d_model wide.
    """
    says = f"with the attention width n_head*d_head taken as d_model ({a.d_model:,} instead of {q_width:,})"
    if a.d_model % a.n_head == 0:
        return [Mistake("attn_width", says, {"d_head": a.d_model // a.n_head, "d_head_v": None})]
    if a.n_kv_head != a.n_head or a.qk_norm == "per_head":
        return []
    return [Mistake("attn_width", says, reshape=_attention_d_model_wide)]


def _attention_d_model_wide(c: Architecture) -> dict[str, tuple[int, ...]]:
    prefixes = ("", "cross.") if c.n_encoder_layer else ("",)
    shapes: dict[str, tuple[int, ...]] = {}
    for p in prefixes:
        shapes |= {f"{p}W_Q": (c.d_model, c.d_model), f"{p}W_K": (c.d_model, c.d_model)}
        shapes |= {f"{p}W_V": (c.d_model, c.d_model), f"{p}W_O": (c.d_model, c.d_model)}
        if c.qkv_bias:
            shapes |= {f"{p}b_Q": (c.d_model,), f"{p}b_K": (c.d_model,), f"{p}b_V": (c.d_model,)}
    return shapes


# --- one wrong hyperparameter ---------------------------------------------------------


@dataclass(frozen=True)
class Unknown:
    """Where the valid values of one integer field lie, for the solver.

    Each callable takes the model and the set of fields that follow others in this file
    (see `FOLLOWERS`). `values` lists a short domain to search instead of solving.
    """

    applies: Callable[[Architecture, frozenset[str]], bool] = lambda a, f: True
    minimum: Callable[[Architecture, frozenset[str]], int] = lambda a, f: 1
    maximum: Callable[[Architecture, frozenset[str]], int] = lambda a, f: LARGEST
    step: Callable[[Architecture, frozenset[str]], int] = lambda a, f: 1  # values are multiples of it
    values: Callable[[Architecture, frozenset[str]], list[int] | None] = lambda a, f: None


def _divisors(n: int) -> list[int]:
    small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
    return sorted(set(small + [n // d for d in small]))


# Every integer field of Architecture is either solved for (with its valid values) or
# listed in NOT_SOLVED with the reason; tests/test_diagnose.py keeps the two complete.
UNKNOWNS: dict[str, Unknown] = {
    "n_vocab": Unknown(applies=lambda a, f: a.token_embedding),
    "n_layer": Unknown(minimum=lambda a, f: a.n_dense_layer + 1 if a.is_moe else 1),
    "d_model": Unknown(step=lambda a, f: a.n_head if "d_head" in f else 1),
    "n_head": Unknown(
        step=lambda a, f: 1 if "n_kv_head" in f else a.n_kv_head,
        values=lambda a, f: _divisors(a.d_model) if "d_head" in f else None,
    ),
    # rotary positions turn pairs of features, so a rotary head is an even number wide
    "d_head": Unknown(
        minimum=lambda a, f: max(1, a.d_head_rope),
        step=lambda a, f: 2 if a.position_embedding == "rotary" else 1,
    ),
    "n_kv_head": Unknown(applies=lambda a, f: a.kv_lora_rank is None, values=lambda a, f: _divisors(a.n_head)),
    "d_ff": Unknown(applies=lambda a, f: a.has_dense_mlp),  # also an MLP beside experts (Gemma 4)
    "n_context": Unknown(applies=lambda a, f: a.position_embedding == "learned"),
    "d_embed": Unknown(applies=lambda a, f: a.d_embed is not None),
    "d_head_v": Unknown(applies=lambda a, f: a.d_head_v is not None),
    "q_lora_rank": Unknown(applies=lambda a, f: bool(a.q_lora_rank)),
    "kv_lora_rank": Unknown(applies=lambda a, f: a.kv_lora_rank is not None),
    "d_head_rope": Unknown(applies=lambda a, f: a.d_head_rope > 0, maximum=lambda a, f: a.d_head),
    "n_expert": Unknown(applies=lambda a, f: a.is_moe, minimum=lambda a, f: a.n_expert_per_token),
    "n_expert_per_token": Unknown(applies=lambda a, f: a.is_moe, maximum=lambda a, f: a.n_expert),
    "d_ff_expert": Unknown(applies=lambda a, f: a.is_moe),
    "d_ff_shared": Unknown(applies=lambda a, f: a.d_ff_shared > 0),
    "n_dense_layer": Unknown(applies=lambda a, f: a.is_moe, minimum=lambda a, f: 0, maximum=lambda a, f: a.n_layer - 1),
    "n_encoder_layer": Unknown(applies=lambda a, f: a.n_encoder_layer > 0),
    "relative_attention_buckets": Unknown(applies=lambda a, f: a.relative_attention_buckets > 0),
    "index_n_head": Unknown(applies=lambda a, f: a.index_n_head > 0),  # DeepSeek-V3.2's indexer
    "d_index_head": Unknown(applies=lambda a, f: a.index_n_head > 0),
    "d_expert_latent": Unknown(applies=lambda a, f: a.d_expert_latent is not None),
    "hc_mult": Unknown(applies=lambda a, f: a.hc_mult > 0),
}
NOT_SOLVED = {
    "position_offset": "a constant of the implementation (OPT's 2), not a number one chooses",
    "norms_per_layer": "a block layout (1, 2 or 4); the norm mistakes of the catalogue cover it",
    "extra_token_rows": "a constant of the implementation (Mllama's 8 image-token rows), not a number one chooses",
}

# Fields a file may leave to a rule over others: when the file does not set them (or sets
# them from the same key) and they equal the rule, they follow when that other field changes.
FOLLOWERS: dict[str, tuple[tuple[str, ...], Callable[[Architecture], int]]] = {
    "d_head": (("d_model", "n_head"), lambda a: a.d_model // a.n_head),
    "n_kv_head": (("n_head",), lambda a: a.n_head),
    "d_ff": (("d_model",), lambda a: 4 * a.d_model),
    "d_ff_expert": (("d_ff",), lambda a: a.d_ff),
}


def integer_fields() -> list[str]:
    """The Architecture fields that hold an integer (or an optional one)."""
    return [f.name for f in fields(Architecture) if str(f.type).replace(" ", "") in ("int", "int|None")]


def followers(a: Architecture, sources: Mapping[str, Path]) -> frozenset[str]:
    """The fields of `a` that follow from others in this file (see FOLLOWERS)."""
    follow = set()
    for name, (deps, rule) in FOLLOWERS.items():
        source = sources.get(name)
        from_dep = source is not None and any(sources.get(dep) == source for dep in deps)
        if (source is None or from_dep) and getattr(a, name) == rule(a):
            follow.add(name)
    return frozenset(follow)


def with_value(a: Architecture, name: str, value: int, follow: frozenset[str]) -> Architecture:
    """`a` with `name` = value and the fields that follow it recomputed."""
    changed, moved = changed_model(a, {name: value}), {name}
    for follower, (deps, rule) in FOLLOWERS.items():  # in order, so d_ff_expert follows a d_ff that followed
        if follower in follow and moved.intersection(deps):
            changed = changed_model(changed, {follower: rule(changed)})
            moved.add(follower)
    return changed


def changed_model(a: Architecture, changes: Mapping[str, Any]) -> Architecture:
    """`dataclasses.replace(a, **changes)`, as a plain copy of the record.

    The diagnosis makes a few hundred of these per file, and `replace` runs the 45-field
    __init__ each time (a quarter of the diagnosis); Architecture has no __post_init__ to skip.
    """
    if not changes:
        return a
    if hasattr(a, "__post_init__") or not hasattr(a, "__dict__"):
        return replace(a, **changes)
    copy = object.__new__(Architecture)
    copy.__dict__.update(a.__dict__)
    copy.__dict__.update(changes)
    return copy


def valid(a: Architecture) -> bool:
    """Whether `a` is a model that can be built: positive widths and the divisibility attention needs."""
    if a.kv_lora_rank is None and (a.n_kv_head < 1 or a.n_head % a.n_kv_head):
        return False
    if a.is_moe and not (0 <= a.n_expert_per_token <= a.n_expert and 0 <= a.n_dense_layer < a.n_layer):
        return False
    n_vocab = a.n_vocab if a.token_embedding else 1  # a standalone tower reads no tokens
    return min(n_vocab, a.n_layer, a.d_model, a.n_head, a.d_head, a.d_ff) >= 1 and a.d_head_rope <= a.d_head


@dataclass(frozen=True)
class Solution:
    """One field's value that gives the declared number, all else as the file says."""

    name: str
    value: int
    architecture: Architecture
    params: int


def solve(
    a: Architecture,
    number: Callable[[Architecture], int],
    low: int,
    high: int,
    sources: Mapping[str, Path] | None = None,
) -> list[Solution]:
    """For each solvable field, its one value (if exactly one) with `low <= number(model) < high`."""
    follow = followers(a, sources or {})
    found = []
    for name in integer_fields():
        unknown = UNKNOWNS.get(name)
        current = getattr(a, name)
        if unknown is None or not isinstance(current, int) or not unknown.applies(a, follow):
            continue
        values = _solve_field(a, name, unknown, follow, number, low, high)
        if values is not None and len(values) == 1:
            [(value, changed, params)] = values
            found.append(Solution(name, value, changed, params))
    return found


def _solve_field(
    a: Architecture,
    name: str,
    unknown: Unknown,
    follow: frozenset[str],
    number: Callable[[Architecture], int],
    low: int,
    high: int,
) -> list[tuple[int, Architecture, int]] | None:
    """Every valid value of `name` whose count lands in [low, high); None when there are too many to tell."""
    current: int = getattr(a, name)
    lo, hi = unknown.minimum(a, follow), unknown.maximum(a, follow)
    domain = unknown.values(a, follow)
    if domain is None:
        if current > 0:  # a slip, not a different model: within a factor of PLAUSIBLE
            lo, hi = max(lo, current // PLAUSIBLE), min(hi, current * PLAUSIBLE)
        step = unknown.step(a, follow)
        if step < 1 or current % step:
            return None
        ks = _polynomial_solutions(
            lambda k: number(with_value(a, name, current + k * step, follow)),
            -(-(lo - current) // step),
            (hi - current) // step,
            low,
            high,
        )
        if ks is None:
            return None
        domain = [current + k * step for k in ks]
    found = []
    for value in domain:
        if value == current or not lo <= value <= hi:
            continue
        changed = with_value(a, name, value, follow)
        if not valid(changed):
            continue
        params = number(changed)
        if low <= params < high:
            found.append((value, changed, params))
            if len(found) > 1:
                return None
    return found


def _polynomial_solutions(
    p: Callable[[int], int], kmin: int, kmax: int, low: int, high: int, limit: int = 2
) -> list[int] | None:
    """The integers k in [kmin, kmax] with low <= p(k) < high, for p a quadratic at most.

    p is known from k = 0, 1, 2 (Newton's forward differences give it exactly); it is
    monotone on each side of the root of its derivative, and each side is bisected. None
    when more than `limit` values land in the window (the number does not single one out).
    The count is at most quadratic in any one field, even with the fields that follow it
    (d_model * d_ff, d_model * d_head); tests/test_diagnose.py checks it.
    """
    if kmin > kmax:
        return []
    y0, y1, y2 = p(0), p(1), p(2)
    d1, d2 = y1 - y0, y2 - 2 * y1 + y0

    def at(k: int) -> int:
        return y0 + d1 * k + d2 * k * (k - 1) // 2

    # p(k) = (d2/2) k^2 + (d1 - d2/2) k + y0, so p'(k) = d2 k + d1 - d2/2
    roots = [Fraction(d2 - 2 * d1, 2 * d2)] if d2 else []
    cuts = sorted({math.floor(r) for r in roots if kmin <= r <= kmax})
    pieces, start = [], kmin
    for cut in cuts:
        pieces.append((start, cut))
        start = cut + 1
    pieces.append((start, kmax))
    found: set[int] = set()
    for first, last in pieces:
        if first > last:
            continue
        if at(first) == at(last):  # monotone, so flat: every k or none
            if low <= at(first) < high:
                if last - first + 1 > limit:
                    return None
                found.update(range(first, last + 1))
            continue
        rising = at(last) >= at(first)
        key = at if rising else (lambda k: -at(k))
        lo_k = _first(key, first, last, low if rising else 1 - high)
        hi_k = _first(key, first, last, high if rising else 1 - low)
        if hi_k - lo_k > limit:
            return None
        found.update(range(lo_k, hi_k))
    if len(found) > limit:
        return None
    return sorted(found)


def _first(key: Callable[[int], int], first: int, last: int, target: int) -> int:
    """The least k in [first, last + 1] with key(k) >= target, key non-decreasing."""
    lo, hi = first, last + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if key(mid) >= target:
            hi = mid
        else:
            lo = mid + 1
    return lo


# --- putting it together ----------------------------------------------------------------


@dataclass(frozen=True)
class _Fit:
    params: int
    explanation: Explanation
    size: int  # how many things it changes: 1 for a single mistake or one field
    order: tuple[int, float]  # then: catalogue before fields, smaller edits first
    changes: Changes | None = None  # the fields it changes, when it only changes fields


def diagnose(
    config: ModelConfig,
    breakdown: Breakdown,
    declared: int,
    tolerance: Tolerance,
    active: bool = False,
    document: Document | None = None,
) -> list[Explanation]:
    """The explanations of a declared number: known mistakes (singly or in pairs) whose
    count lands within `tolerance`, and single hyperparameters that give it.

    Exact fits win and, when there are any, are the only ones reported. Otherwise fits
    are ranked by distance at the precision the declared number was written with (175B
    is not more precise than 1B), and at equal distance the simpler explanation first.
    The hyperparameters are solved for only when no catalogue mistake fits exactly.
    """
    a = config.architecture
    key = "expected_active_params" if active else "expected_params"
    fits: dict[str, _Fit] = {}
    explained: set[Changes] = set()
    allowed = tolerance.allowed(declared)
    hypotheses = _Hypotheses(a, breakdown, active)
    alone: dict[int, int] = {}  # id(mistake) -> its number as a single mistake
    for combination in _combinations(catalogue(a, active, _written(config, document))):
        ids = "+".join(m.id for m in combination)
        if ids in fits:
            continue
        hypothesis, changed = hypotheses.number(combination)
        if len(combination) == 1:
            alone[id(combination[0])] = hypothesis
        elif any(alone.get(id(m)) == hypothesis for m in combination):
            continue  # one of the two changes nothing the other has not changed already
        if abs(hypothesis - declared) <= allowed:  # tolerance.accepts, with `allowed` worked out once
            explanation = _explain(combination, hypothesis, declared, key)
            fits[ids] = _Fit(hypothesis, explanation, len(combination), (0, 0.0), changed)
            if changed is not None:
                explained.add(changed)
    if not any(fit.params == declared for fit in fits.values()):
        for fit in _field_fits(config, breakdown, declared, active, key, document):
            if fit.explanation.id not in fits and fit.changes not in explained:
                fits[fit.explanation.id] = fit
    exact = [fit for fit in fits.values() if fit.params == declared]
    unit = _precision(declared)
    if exact:
        ranked = sorted(exact, key=lambda fit: (fit.size, fit.order))
    else:
        ranked = sorted(fits.values(), key=lambda fit: (abs(fit.params - declared) // unit, fit.size, fit.order))
    return [fit.explanation for fit in ranked[:MAX_EXPLANATIONS]]


def _field_fits(
    config: ModelConfig,
    breakdown: Breakdown,
    declared: int,
    active: bool,
    key: str,
    document: Document | None,
) -> list[_Fit]:
    """One wrong hyperparameter: each field's single value that gives `declared`."""
    a = config.architecture
    numbers = {a: breakdown.active if active else breakdown.total}
    # a composite's or an encoder's parts are not what a field changes: they are added as they are
    others = [section for section in breakdown.sections if section.part != "text"]
    kept = sum(section.active if active else section.total for section in others)

    def number(arch: Architecture) -> int:
        if arch not in numbers:
            b = count(arch)
            numbers[arch] = (b.active if active else b.total) + kept
        return numbers[arch]

    unit = _precision(declared)
    low, high = declared - unit // 2, declared + (unit + 1) // 2
    if low <= number(a) < high:  # the file's own model already rounds to it
        return []
    fits = []
    for s in solve(a, number, low, high, config.sources):
        current = getattr(a, s.name)
        path = config.sources.get(s.name)
        fit = _Fit(
            s.params,
            _explain_field(s, current, declared, key, path, a, document),
            1,
            (1, abs(s.value - current) / current if current else math.inf),
            changes_of(a, s.architecture.__dict__),
        )
        fits.append(fit)
    return fits


def _explain_field(
    s: Solution, current: int, declared: int, key: str, path: Path | None, a: Architecture, document: Document | None
) -> Explanation:
    """`n_layer=36`: what would fit, what the file says, and where."""
    how = "exactly" if s.params == declared else f"within {_percent(declared, s.params)} of"
    moved = [f for f in FOLLOWERS if getattr(s.architecture, f) != getattr(a, f) and f != s.name]
    notes = [] if s.params == declared else [f"{s.params:,}"]
    if moved:
        followed = " and ".join(f"{f} = {getattr(s.architecture, f):,}" for f in moved)
        notes.append(f"{followed} follow{'s' if len(moved) == 1 else ''} it")
    fits = f"{s.name} = {s.value:,}" + (f" ({'; '.join(notes)})" if notes else "")
    line = column = None
    if not path:
        says = f"the file does not set it, so it is {current:,}"
    elif document is None:
        says = f"the file says {current:,}"
    else:
        mark = document.mark(path)
        line, column = mark.line, mark.column
        key_name = path[-1]
        if document.value(path) == current:
            where = f"{key_name}, line {line}" if key_name != s.name else f"line {line}"
            says = f"the file says {current:,} ({where})"
        else:  # derived from that key (d_head from hidden_size), or read by the format's rule
            says = f"the file makes it {current:,} through {key_name} (line {line})"
    message = f"{key} {declared:,} is {how} the count with {fits}; {says}"
    return Explanation(f"{s.name}={s.value}", message, s.params, line, column)


def _written(config: ModelConfig, document: Document | None) -> dict[str, int]:
    """The integers the file writes for d_ff, d_ff_expert and n_vocab where the model has another."""
    if document is None:
        return {}
    written = {}
    for name in ("d_ff", "d_ff_expert", "n_vocab"):
        path = config.sources.get(name)
        value = document.value(path) if path else None
        if isinstance(value, int) and not isinstance(value, bool) and value != getattr(config.architecture, name):
            written[name] = value
    return written


def _combinations(mistakes: list[Mistake]) -> Iterator[tuple[Mistake, ...]]:
    for mistake in mistakes:
        yield (mistake,)
    for first, second in combinations(mistakes, 2):
        if first.id != second.id and not (first.group and first.group == second.group):
            yield (first, second)


Changes = tuple[tuple[str, Any], ...]  # the fields a hypothesis changes, sorted: a cache key


def changes_of(a: Architecture, changes: Mapping[str, Any]) -> Changes:
    """The fields `changes` really changes in `a`, as a key."""
    return tuple(sorted((name, value) for name, value in changes.items() if getattr(a, name) != value))


class _Hypotheses:
    """The number a declared count would be under some mistakes, each model counted once."""

    def __init__(self, a: Architecture, breakdown: Breakdown, active: bool) -> None:
        self.a, self.active = a, active
        self.breakdowns: dict[Changes, Breakdown] = {(): breakdown}
        self.numbers: dict[tuple[Changes, str], int] = {}

    def number(self, mistakes: tuple[Mistake, ...]) -> tuple[int, Changes | None]:
        """The number, and the fields changed to get it (None when the mistakes also
        reshape weights or read the number otherwise)."""
        key = changes_of(self.a, {name: value for mistake in mistakes for name, value in mistake.changes.items()})
        reshapes = [mistake.reshape for mistake in mistakes if mistake.reshape is not None]
        plain = "active" if self.active else "count"
        reading = next((m.reading for m in mistakes if m.reading != "count"), plain)
        if reshapes:
            changed = changed_model(self.a, dict(key))
            breakdown = self.breakdown(key)
            for reshape in reshapes:
                breakdown = breakdown.with_shape(changed, reshape)
            number = _reading(breakdown, reading)
        elif (key, reading) in self.numbers:
            number = self.numbers[key, reading]
        else:
            number = self.numbers[key, reading] = _reading(self.breakdown(key), reading)
        factor = next((m.factor for m in mistakes if m.factor != 1), None)
        if factor is not None:
            return int(number * factor), None
        return number, key if not reshapes and reading == plain else None

    def breakdown(self, key: Changes) -> Breakdown:
        if key not in self.breakdowns:
            # a composite's towers and projector are not what a mistake changes: keep them
            parts = tuple(s for s in self.breakdowns[()].sections if s.part != "text")
            self.breakdowns[key] = Breakdown(count(changed_model(self.a, dict(key))).sections + parts)
        return self.breakdowns[key]


def hypothetical_count(a: Architecture, base: Breakdown, mistakes: tuple[Mistake, ...], active: bool = False) -> int:
    """The number the declared count would be under `mistakes`, by the one counter."""
    return _Hypotheses(a, base, active).number(mistakes)[0]


def _reading(breakdown: Breakdown, reading: str) -> int:
    if reading == "active":
        return breakdown.active
    if reading == "non_embedding":
        embedding = sum(
            t.params
            for s in breakdown.sections
            if s.part == "text"
            for t in s.terms
            if t.group == "embedding" or t.name == "W_U"
        )
        return breakdown.total - embedding
    return breakdown.total


def _precision(declared: int) -> int:
    """The resolution a number was written with: 78_500_000_000 -> 100_000_000."""
    unit = 1
    while declared and declared % (unit * 10) == 0:
        unit *= 10
    return unit


def _norm_words(a: Architecture) -> str:
    return {"none": "no norm parameters", "rmsnorm": "RMSNorm gains only"}.get(a.norm, "layernorms without biases")


def _percent(declared: int, hypothesis: int) -> str:
    """How far `hypothesis` is from `declared`, readably: 0.012%, 2.35%, 41.2%; a difference
    as large as the declared number itself is given in parameters, not as 16025800.000%."""
    difference = abs(declared - hypothesis)
    if not declared or difference >= abs(declared):
        return f"{difference:,} parameters"
    ratio = difference / abs(declared)
    digits = 3 if ratio < 0.01 else 1 if ratio >= 0.1 else 2
    return f"{ratio:.{digits}%}"


def _explain(mistakes: tuple[Mistake, ...], hypothesis: int, declared: int, key: str) -> Explanation:
    what = " and ".join(m.says for m in mistakes)
    ids = "+".join(m.id for m in mistakes)
    if hypothesis == declared:
        message = f"{key} {declared:,} is exactly the count {what}"
    else:
        message = f"{key} {declared:,} is within {_percent(declared, hypothesis)} of the count {what} ({hypothesis:,})"
    return Explanation(ids, message, hypothesis)
