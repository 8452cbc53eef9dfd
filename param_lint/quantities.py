"""Parameter counts and tolerances as users write them: 175B, 6.7B, 1_000, 1.75e11, 1%."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

SUFFIXES = {"": 1, "k": 10**3, "K": 10**3, "M": 10**6, "B": 10**9, "G": 10**9, "T": 10**12}
_SIZE = re.compile(r"\s*(\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*([kKMBGT]?)\s*")
_PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*")


class QuantityError(ValueError):
    """A value that is not a count or a tolerance; the message says what was expected."""


def parse_count(value: Any) -> int:
    """An exact parameter count from an int, an integral float or a size string.

    `6.7B` is exactly 6,700,000,000: sizes are read as decimals, never through a float.
    """
    if isinstance(value, bool):
        raise QuantityError(f"a count must be a number, not {str(value).lower()}")
    if isinstance(value, int):
        if value < 0:
            raise QuantityError(f"a count cannot be negative, got {value}")
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")) or not value.is_integer() or value < 0:
            raise QuantityError(f"a count must be a whole number of parameters, got {value}")
        return int(value)
    if isinstance(value, str):
        match = _SIZE.fullmatch(value)
        if match:
            try:
                number = Decimal(match.group(1).replace("_", "")) * SUFFIXES[match.group(2)]
            except ArithmeticError:  # InvalidOperation, or Overflow for "1e400000000B"
                number = Decimal("NaN")
            if number.is_finite() and number == number.to_integral_value() and number.adjusted() <= 30:
                return int(number)
            raise QuantityError(f"{value!r} is not a whole number of parameters")
    raise QuantityError(f"expected a count like 175B, 6.7B, 124M, 350k or 1_000_000, got {value!r}")


def format_count(value: int) -> str:
    """175000000000 -> '175,000,000,000' (exact, for messages)."""
    return f"{value:,}"


def format_size(value: int) -> str:
    """175000000000 -> '175B', 6738415616 -> '6.74B' (approximate, for humans)."""
    for suffix, scale in (("T", 10**12), ("B", 10**9), ("M", 10**6), ("k", 10**3)):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{suffix}"
    return str(value)


@dataclass(frozen=True)
class Tolerance:
    """How far a count may be from the declared one: a fraction of it, or a number of parameters."""

    relative: Fraction | None = None
    absolute: int | None = None

    def allowed(self, expected: int) -> Fraction:
        if self.relative is not None:
            return self.relative * expected
        return Fraction(self.absolute or 0)

    def accepts(self, count: int, expected: int) -> bool:
        return abs(count - expected) <= self.allowed(expected)

    def __str__(self) -> str:
        if self.relative is not None:
            return f"{float(self.relative * 100):g}%"
        return format_count(self.absolute or 0)


DEFAULT_TOLERANCE = Tolerance(relative=Fraction(1, 100))


def parse_tolerance(value: Any) -> Tolerance:
    """`1%` (relative), `0.5%`, `1000000` or `1M` (absolute), `0` (exact)."""
    if isinstance(value, str):
        match = _PERCENT.fullmatch(value)
        if match:
            return Tolerance(relative=Fraction(Decimal(match.group(1))) / 100)
    try:
        return Tolerance(absolute=parse_count(value))
    except QuantityError:
        raise QuantityError(
            f"expected a tolerance like 1%, 0.5%, 0 or an absolute count like 1M, got {value!r}"
        ) from None
