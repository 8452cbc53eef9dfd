"""Diagnosis: which known mistake produced a wrong `expected_params`?

Each mistake is a what-if on the model: the same Architecture with one field changed
(`no_attn_bias` sets qkv_bias and out_bias to False), the same breakdown with one weight
reshaped (`wo_shape`), or another reading of the final number (`bytes_not_params`).
Every hypothesis is counted by the one counter in `count.py`; singles and pairs are
tried, and those landing within the tolerance of the declared number are reported,
closest first. Runs only for files with a PL201 finding.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import combinations

from .architecture import Architecture
from .count import Breakdown, count
from .dialects import ModelConfig
from .findings import Explanation
from .quantities import Tolerance

MAX_EXPLANATIONS = 3


@dataclass(frozen=True)
class Mistake:
    """One known mistake: how it changes the model, its breakdown, or the final number."""

    id: str
    says: str  # "with ..." / "without ...": completes "the count ..."
    architecture: Callable[[Architecture], Architecture] | None = None
    breakdown: Callable[[Breakdown, Architecture], Breakdown] | None = None
    number: Callable[[Breakdown], int] | None = None  # another reading of the count
    group: str = ""  # mistakes of one group exclude each other in pairs


def catalogue(a: Architecture, active: bool = False) -> list[Mistake]:
    """The mistakes that could apply to `a` (each changes something this model has)."""
    mistakes: list[Mistake] = []
    add = mistakes.append
    q_width = a.n_head * a.d_head
    if a.d_head != a.d_model:
        add(Mistake(
            "wo_shape",
            f"with W_O shaped (n_head*d_head, d_head) = ({a.n_head * a.d_v}, {a.d_head}); W_O maps the "
            f"concatenated heads back to d_model, so it is ({a.n_head * a.d_v}, {a.d_model})",
            breakdown=lambda b, a: b.with_shape("W_O", (a.n_head * a.d_v, a.d_head)),
        ))
    if a.qkv_bias or a.out_bias:
        add(Mistake("no_attn_bias", "without the Q, K, V and O biases",
                    lambda a: replace(a, qkv_bias=False, out_bias=False), group="attn_bias"))
    else:
        add(Mistake("extra_attn_bias", "with Q, K, V and O biases, which this model does not have",
                    lambda a: replace(a, qkv_bias=True, out_bias=True), group="attn_bias"))
    if a.norm != "none":
        add(Mistake("no_norms", "without the normalisation parameters",
                    lambda a: replace(a, norm="none"), group="norms"))
    if a.norm != "layernorm" or not a.norm_bias:
        add(Mistake("extra_norms", f"with layernorm gains and biases, where this model has {_norm_words(a)}",
                    lambda a: replace(a, norm="layernorm", norm_bias=True, final_norm=True), group="norms"))
    if a.tie_embeddings:
        add(Mistake("untied_head", "with a separate unembedding W_U; this model ties it to W_E, so it adds nothing",
                    lambda a: replace(a, tie_embeddings=False), group="head"))
    else:
        add(Mistake("tied_head", f"with the unembedding tied to W_E; this model has its own W_U ({a.d_token * a.n_vocab:,} parameters)",
                    lambda a: replace(a, tie_embeddings=True), group="head"))
    if a.position_embedding == "learned":
        add(Mistake("no_position", f"without the learned position matrix W_P ({a.n_context + a.position_offset} rows)",
                    lambda a: replace(a, position_embedding="none")))
    if a.n_kv_head != a.n_head:
        add(Mistake("mha_for_gqa", f"with n_kv_head = n_head = {a.n_head} (K and V as wide as Q); this model has n_kv_head = {a.n_kv_head}",
                    lambda a: replace(a, n_kv_head=a.n_head)))
    if a.mlp == "gated":
        add(Mistake("ungated_mlp", "with 2 MLP matrices instead of 3: this gated MLP has W_1, the gate W_3, and W_2",
                    lambda a: replace(a, mlp="standard"), group="mlp"))
    else:
        add(Mistake("gated_mlp", "with 3 MLP matrices (a gated MLP) instead of this model's 2",
                    lambda a: replace(a, mlp="gated"), group="mlp"))
    if a.is_moe and not active:
        add(Mistake("active_for_total", "of the parameters active per token only (the routed experts a token uses)",
                    number=lambda b: b.active, group="number"))
    for multiple in (64, 128):
        padded = -(-a.n_vocab // multiple) * multiple
        if padded != a.n_vocab:
            add(Mistake("vocab_padding", f"with the vocabulary padded to {padded:,} (a multiple of {multiple})",
                        lambda a, padded=padded: replace(a, n_vocab=padded), group="vocab"))
    if q_width != a.d_model and a.kv_lora_rank is None and a.d_model % a.n_head == 0:
        add(Mistake("attn_width", f"with the attention width n_head*d_head taken as d_model ({a.d_model:,} instead of {q_width:,})",
                    lambda a: replace(a, d_head=a.d_model // a.n_head, d_head_v=None)))
    add(Mistake("non_embedding", "without the embeddings (a non-embedding count, as in scaling-law papers)",
                number=_non_embedding, group="number"))
    for size, kind in ((2, "16-bit"), (4, "32-bit")):
        add(Mistake("bytes_not_params", f"in bytes at {size} bytes per parameter ({kind} weights), not in parameters",
                    number=lambda b, size=size: _reading(b, active) * size, group="number"))
    for factor, words in ((10**3, "1,000 too large"), (10**6, "1,000,000 too large")):
        add(Mistake("unit_slip", f"times {factor:,}: a unit slip, {words}",
                    number=lambda b, factor=factor: _reading(b, active) * factor, group="number"))
        add(Mistake("unit_slip", f"divided by {factor:,}: a unit slip, {factor:,} times too small",
                    number=lambda b, factor=factor: _reading(b, active) // factor, group="number"))
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
        hypothesis = _count(a, breakdown, combination, active)
        if ids not in fits and tolerance.accepts(hypothesis, declared):
            fits[ids] = (hypothesis, combination)
    exact = [fit for fit in fits.values() if fit[0] == declared]
    unit = _precision(declared)
    ranked = exact or sorted(fits.values(), key=lambda fit: (abs(fit[0] - declared) // unit, len(fit[1])))
    ranked = sorted(ranked, key=lambda fit: len(fit[1])) if exact else ranked
    return [_explain(mistakes, hypothesis, declared, active) for hypothesis, mistakes in ranked[:MAX_EXPLANATIONS]]


def _precision(declared: int) -> int:
    """The resolution a number was written with: 78_500_000_000 -> 100_000_000."""
    unit = 1
    while declared and declared % (unit * 10) == 0:
        unit *= 10
    return unit


def _combinations(mistakes: list[Mistake]) -> Iterator[tuple[Mistake, ...]]:
    for mistake in mistakes:
        yield (mistake,)
    for first, second in combinations(mistakes, 2):
        if first.id != second.id and not (first.group and first.group == second.group):
            yield (first, second)


def _count(a: Architecture, base: Breakdown, mistakes: tuple[Mistake, ...], active: bool) -> int | None:
    """The count under `mistakes`: architecture edits, then breakdown edits, then a reading."""
    changed = a
    for mistake in mistakes:
        if mistake.architecture is not None:
            changed = mistake.architecture(changed)
    breakdown = base if changed is a else count(changed)
    for mistake in mistakes:
        if mistake.breakdown is not None:
            breakdown = mistake.breakdown(breakdown, changed)
    readings = [m.number for m in mistakes if m.number is not None]
    return readings[0](breakdown) if readings else _reading(breakdown, active)


def _reading(breakdown: Breakdown, active: bool) -> int:
    return breakdown.active if active else breakdown.total


def _non_embedding(breakdown: Breakdown) -> int:
    embedding = sum(t.params for s in breakdown.sections for t in s.terms if t.group == "embedding" or t.name == "W_U")
    return breakdown.total - embedding


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
