"""Parameter counts and tolerances as users write them: 175B, 6.7B, 1_000, 1.75e11, 1%."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any

# Suffixes in either case: `7b` and `125m` are how model names spell sizes (never "milli").
SUFFIXES = {"": 0, "k": 3, "m": 6, "b": 9, "g": 9, "t": 12}  # powers of ten
LARGEST_COUNT_DIGITS = 31  # 10**30 parameters is far beyond any model, far below a slow number
# Applied to stripped text with fullmatch, these run in linear time: one optional run of
# spaces between the number and its suffix (two adjacent `\s*` backtrack quadratically).
# ASCII digits only: `７B` (a full-width 7) is not a count, as in the schema's ECMA-262 `\d`.
_SIZE = re.compile(r"([0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)(?:\s*([kKmMbBgGtT]))?")
_PERCENT = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*%")


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
        match = _SIZE.fullmatch(value.strip())
        if match:
            return _size(value, match.group(1), SUFFIXES[(match.group(2) or "").lower()])
    raise QuantityError(f"expected a count like 175B, 6.7B, 124M, 350k or 1_000_000, got {_shown(value)}")


def _size(value: str, digits: str, exponent: int) -> int:
    """The exact integer `digits` x 10**exponent, refusing fractions and absurd sizes."""
    shown = _shown(value)
    try:
        number = Decimal(digits.replace("_", ""))  # exact, whatever the context's precision
    except ArithmeticError:
        raise QuantityError(f"{shown} is not a number") from None
    if number and number.adjusted() + exponent >= LARGEST_COUNT_DIGITS:
        raise QuantityError(f"{shown} is too large for a parameter count (10^{LARGEST_COUNT_DIGITS} or more)")
    with localcontext() as context:
        context.prec = LARGEST_COUNT_DIGITS + len(digits)  # exact: no rounding of long counts
        try:
            number = number.scaleb(exponent)
            whole = number == number.to_integral_value()
        except ArithmeticError:  # 0e999999999: a zero with an exponent beyond the context
            whole = False
        if not whole:
            raise QuantityError(f"{shown} is not a whole number of parameters")
        return int(number)


def _shown(value: Any) -> str:
    """`value` for a message, cut short: a 400 KB value must not become a 400 KB message."""
    text = repr(value)
    return text if len(text) <= 40 else text[:36] + "...'"


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
        match = _PERCENT.fullmatch(value.strip())
        if match:
            return Tolerance(relative=Fraction(Decimal(match.group(1))) / 100)
    try:
        return Tolerance(absolute=parse_count(value))
    except QuantityError:
        raise QuantityError(
            f"expected a tolerance like 1%, 0.5%, 0 or an absolute count like 1M, got {_shown(value)}"
        ) from None
