"""param-lint: exact parameter counts and shape checks for ML model configs.

The Python API:

    >>> import param_lint
    >>> breakdown = param_lint.count("examples/gpt3-175b.yaml")
    >>> breakdown.total
    174604259328
    >>> [f.code for f in param_lint.lint(["examples/broken/article-wo-shape.yaml"])]
    ['PL201', 'PL301']
"""

from __future__ import annotations

__version__ = "0.1.0"

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .counting import Breakdown
    from .findings import Finding

__all__ = ["count", "lint", "CountError", "SettingsError", "__version__"]


def __getattr__(name: str) -> Any:
    if name == "SettingsError":  # lazily: `import param_lint` stays light for the hook
        from .settings import SettingsError

        return SettingsError
    raise AttributeError(f"module 'param_lint' has no attribute {name!r}")


class CountError(ValueError):
    """The config cannot be counted; `findings` says why, with positions."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f"{f.line}:{f.column}: {f.code} {f.message}" for f in findings))
        self.findings = findings


def count(config: str | os.PathLike[str] | Mapping[str, Any]) -> Breakdown:
    """The exact breakdown of a config file (path) or an already-parsed mapping.

    `.total` and `.active` are the parameter counts; `.sections` holds every component.
    Raises CountError when the config cannot be counted.
    """
    from .document import Document
    from .pipeline import lint_document, lint_file

    if isinstance(config, Mapping):
        result = lint_document("<mapping>", Document("<mapping>", dict(config)), [])
    else:
        result = lint_file(os.fspath(config))
    if result.breakdown is None:
        raise CountError([f for f in result.findings if f.severity == "error"])
    return result.breakdown


def lint(paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]], **settings: Any) -> list[Finding]:
    """Every finding for the given files, directories or globs, as data (sorted per file).

    Keyword arguments are the `[tool.param-lint]` settings, with underscores for dashes and
    the same values: `lint(["configs/"], tolerance="0.5%", select=["PL"], ignore=["PL303"])`.
    No pyproject.toml is read. An invalid setting raises `SettingsError` naming it.
    """
    from .discover import find
    from .pipeline import lint_file
    from .rules import RULES
    from .settings import Settings, from_table

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    table = {key.replace("_", "-"): value for key, value in settings.items()}
    options = Settings(**from_table(table, "param_lint.lint()", known_codes=RULES))
    found = find([os.fspath(p) for p in paths], lambda _: options)
    unreadable = [f for f in found.problems if options.enabled(f.code, f.path)]  # directories (PL001)
    return unreadable + [f for path in found.files for f in lint_file(path, options).findings]
