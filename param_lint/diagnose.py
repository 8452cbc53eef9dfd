"""Diagnosis: which known mistake produced a wrong `expected_params`?

Each mistake is a what-if on the model, as plain data: the same Architecture with some
fields changed (`no_attn_bias` sets qkv_bias and out_bias to False), the same breakdown
with W_O reshaped (`wo_shape`), or another reading of the final number (the active
count, the count without embeddings, times 2 bytes...). Every hypothesis is counted by
the one counter in `counting.py`; singles and pairs are tried, and those landing within
the tolerance of the declared number are reported, closest first. Runs only for files
with a PL201 finding.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from itertools import combinations
from typing import Any

from .architecture import Architecture
from .counting import Breakdown, count
from .dialects import ModelConfig
from .findings import Explanation
from .quantities import Tolerance

MAX_EXPLANATIONS = 3


@dataclass(frozen=True)
class Mistake:
    """One known mistake: what it changes in the model, its breakdown, or the final number."""

    id: str
    says: str  # "with ..." / "without ...": completes "the count ..."
    changes: Mapping[str, Any] = field(default_factory=dict)  # Architecture fields it changes
    wo_as_d_head: bool = False  # W_O shaped (n_head*d_head, d_head) instead of (n_head*d_head, d_model)
    reading: str = "count"  # count | active | non_embedding: which number was declared
    factor: Fraction = Fraction(1)  # ... and scaled by what (bytes, unit slips)
    group: str = ""  # mistakes of one group exclude each other in pairs


def catalogue(a: Architecture, active: bool = False) -> list[Mistake]:
    """The mistakes that could apply to `a` (each changes something this model has)."""
    q_width, o_width = a.n_head * a.d_head, a.n_head * a.d_v
    mistakes: list[Mistake] = []
    add = mistakes.append
    if a.d_head != a.d_model:
        add(
            Mistake(
                "wo_shape",
                f"with W_O shaped (n_head*d_head, d_head) = ({o_width}, {a.d_head}); W_O maps the "
                f"concatenated heads back to d_model, so it is ({o_width}, {a.d_model})",
                wo_as_d_head=True,
            )
        )
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
    if a.tie_embeddings:
        add(
            Mistake(
                "untied_head",
                "with a separate unembedding W_U; this model ties it to W_E, so it adds nothing",
                {"tie_embeddings": False},
                group="head",
            )
        )
    else:
        add(
            Mistake(
                "tied_head",
                f"with the unembedding tied to W_E; this model has its own W_U ({a.d_token * a.n_vocab:,} parameters)",
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
    if a.n_kv_head != a.n_head:
        add(
            Mistake(
                "mha_for_gqa",
                f"with n_kv_head = n_head = {a.n_head} (K and V as wide as Q); "
                f"this model has n_kv_head = {a.n_kv_head}",
                {"n_kv_head": a.n_head},
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
    for multiple in (64, 128):
        padded = -(-a.n_vocab // multiple) * multiple
        if padded != a.n_vocab:
            add(
                Mistake(
                    "vocab_padding",
                    f"with the vocabulary padded to {padded:,} (a multiple of {multiple})",
                    {"n_vocab": padded},
                    group="vocab",
                )
            )
    if q_width != a.d_model and a.kv_lora_rank is None and a.d_model % a.n_head == 0:
        add(
            Mistake(
                "attn_width",
                f"with the attention width n_head*d_head taken as d_model ({a.d_model:,} instead of {q_width:,})",
                {"d_head": a.d_model // a.n_head, "d_head_v": None},
            )
        )
    if a.is_moe and not active:
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


def diagnose(
    config: ModelConfig, breakdown: Breakdown, declared: int, tolerance: Tolerance, active: bool = False
) -> list[Explanation]:
    """The known mistakes (singly or in pairs) whose count lands within `tolerance` of `declared`.

    Exact fits win and, when there are any, are the only ones reported. Otherwise fits
    are ranked by distance at the precision the declared number was written with (175B
    is not more precise than 1B), and at equal distance the simpler explanation first.
    """
    a = config.architecture
    fits: dict[tuple[str, ...], tuple[int, tuple[Mistake, ...]]] = {}
    for combination in _combinations(catalogue(a, active)):
        ids = tuple(m.id for m in combination)
        hypothesis = hypothetical_count(a, breakdown, combination, active)
        if ids not in fits and tolerance.accepts(hypothesis, declared):
            fits[ids] = (hypothesis, combination)
    exact = sorted((fit for fit in fits.values() if fit[0] == declared), key=lambda fit: len(fit[1]))
    unit = _precision(declared)
    ranked = exact or sorted(fits.values(), key=lambda fit: (abs(fit[0] - declared) // unit, len(fit[1])))
    return [_explain(mistakes, hypothesis, declared, active) for hypothesis, mistakes in ranked[:MAX_EXPLANATIONS]]


def _combinations(mistakes: list[Mistake]) -> Iterator[tuple[Mistake, ...]]:
    for mistake in mistakes:
        yield (mistake,)
    for first, second in combinations(mistakes, 2):
        if first.id != second.id and not (first.group and first.group == second.group):
            yield (first, second)


def hypothetical_count(a: Architecture, base: Breakdown, mistakes: tuple[Mistake, ...], active: bool = False) -> int:
    """The number the declared count would be under `mistakes`, by the one counter."""
    changes = {name: value for mistake in mistakes for name, value in mistake.changes.items()}
    changed = replace(a, **changes) if changes else a
    breakdown = count(changed) if changes else base
    if changes:  # a composite's towers and projector are not what the mistake changes
        breakdown = Breakdown(breakdown.sections + tuple(s for s in base.sections if s.part != "text"))
    if any(mistake.wo_as_d_head for mistake in mistakes):
        breakdown = breakdown.with_shape("W_O", (changed.n_head * changed.d_v, changed.d_head))
    reading = next((m.reading for m in mistakes if m.reading != "count"), "active" if active else "count")
    factor = next((m.factor for m in mistakes if m.factor != 1), Fraction(1))
    return int(_reading(breakdown, reading) * factor)


def _reading(breakdown: Breakdown, reading: str) -> int:
    if reading == "active":
        return breakdown.active
    if reading == "non_embedding":
        embedding = sum(
            t.params for s in breakdown.sections for t in s.terms if t.group == "embedding" or t.name == "W_U"
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


def _explain(mistakes: tuple[Mistake, ...], hypothesis: int, declared: int, active: bool) -> Explanation:
    key = "expected_active_params" if active else "expected_params"
    what = " and ".join(m.says for m in mistakes)
    ids = "+".join(m.id for m in mistakes)
    if hypothesis == declared:
        message = f"{key} {declared:,} is exactly the count {what}"
    else:
        off = f"{abs(declared - hypothesis) / declared:.3%}" if declared else "some"
        message = f"{key} {declared:,} is within {off} of the count {what} ({hypothesis:,})"
    return Explanation(ids, message, hypothesis)
