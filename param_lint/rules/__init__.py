"""The rules: one module per code, listed here explicitly (greppable, no plugin magic).

Each module has CODE, NAME, SEVERITY, SUMMARY, a docstring that is its documentation
(`param-lint rules CODE` prints it), and `check(ctx) -> Iterable[Finding]`.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    pl001,
    pl002,
    pl003,
    pl100,
    pl101,
    pl102,
    pl103,
    pl201,
    pl202,
    pl301,
    pl302,
    pl303,
    pl401,
    pl402,
    pl403,
    pl404,
    pl405,
    pl406,
    pl407,
    pl408,
    pl501,
    pl502,
    pl503,
    pl504,
    pl505,
    pl506,
    pl507,
)

RULES: dict[str, ModuleType] = {
    rule.CODE: rule
    for rule in (pl001, pl002, pl003, pl100, pl101, pl102, pl103, pl201, pl202, pl301, pl302, pl303)
    + (pl401, pl402, pl403, pl404, pl405, pl406, pl407, pl408)
    + (pl501, pl502, pl503, pl504, pl505, pl506, pl507)
}


def enabled_by_default(code: str) -> bool:
    return getattr(RULES[code], "DEFAULT_ENABLED", True)
