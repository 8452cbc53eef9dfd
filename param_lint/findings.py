"""Findings as plain values: they compare, sort, and render the same in every format."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Explanation:
    """A known mistake that accounts for a difference (see `diagnose.py`)."""

    id: str
    message: str
    params: int | None = None  # the count the mistake gives
    line: int | None = None  # the key it is about, when it names one (`n_layer=36`)
    column: int | None = None


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place: `path:line:column: code message`. Lines and columns are 1-based."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: str = "error"  # error | warning
    explanations: tuple[Explanation, ...] = field(default=(), compare=False)
    subject: str = field(default="", compare=False)  # the declaration it is about (PL201: expected_params ...)


@dataclass(frozen=True, order=True)
class Mark:
    """A 1-based line and column."""

    line: int
    column: int


START = Mark(1, 1)
