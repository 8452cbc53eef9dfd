"""What the launch-time rules (PL4xx) share: the parallel sizes of a file and valid values.

A framework dialect sets `ModelConfig.parallel`; when the model cannot be counted (no
vocabulary size) the dialect still hands the parallel sizes over on its CannotCount, and
the pipeline puts them on the context, so these checks run either way.
"""

from __future__ import annotations

from typing import Any

from ..parallel import Parallel

MAX_LISTED = 16


def parallel_of(ctx: Any) -> Parallel | None:
    """The parallel sizes and shapes of the file, when a framework dialect read them."""
    if ctx.config is not None:
        return ctx.config.parallel
    return getattr(ctx, "parallel", None)


def divisors(n: int) -> list[int]:
    """Every positive divisor of n, ascending."""
    small = [d for d in range(1, int(n**0.5) + 1) if n % d == 0]
    return sorted(set(small + [n // d for d in small]))


def listed(values: list[int]) -> str:
    """`1, 2, 4, 8` (the first ones and the last when there are many)."""
    if len(values) > MAX_LISTED:
        head = ", ".join(f"{v:,}" for v in values[: MAX_LISTED - 1])
        return f"{head}, ..., {values[-1]:,}"
    return ", ".join(f"{v:,}" for v in values)


def nearest_multiples(n: int, multiple: int) -> str:
    """The multiples of `multiple` just below and above n."""
    below = n // multiple * multiple
    above = below + multiple
    return f"{below:,} or {above:,}" if below > 0 else f"{above:,}"


def at(ctx: Any, parallel: Parallel, *fields: str) -> tuple:
    """The key that set the first of `fields` the file sets (the top level if none)."""
    for field in fields:
        if field in parallel.sources:
            return tuple(parallel.sources[field])
    return ()
