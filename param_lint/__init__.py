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

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .count import Breakdown
    from .findings import Finding

__all__ = ["count", "lint", "CountError", "__version__"]

# The submodule `param_lint.count` shares its name with the function below. Importing it
# here, before the function is defined, stops a later `from .count import ...` (inside the
# first call) from replacing the function with the module on the package.
from . import count as _count_module  # noqa: E402,F401


class CountError(ValueError):
    """The config cannot be counted; `findings` says why, with positions."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f"{f.line}:{f.column}: {f.code} {f.message}" for f in findings))
        self.findings = findings


def count(config: str | Mapping[str, Any]) -> Breakdown:
    """The exact breakdown of a config file (path) or an already-parsed mapping.

    `.total` and `.active` are the parameter counts; `.sections` holds every component.
    Raises CountError when the config cannot be counted.
    """
    from .document import Document
    from .lint import lint_document, lint_file

    if isinstance(config, Mapping):
        result = lint_document("<mapping>", Document("<mapping>", dict(config)), [])
    else:
        result = lint_file(str(config))
    if result.breakdown is None:
        raise CountError([f for f in result.findings if f.severity == "error"])
    return result.breakdown


def lint(paths: Iterable[str], **settings: Any) -> list[Finding]:
    """Every finding for the given files, directories or globs, as data (sorted).

    Keyword arguments are `Settings` fields, e.g. `select=("PL202",)`.
    """
    from .discover import discover
    from .lint import lint_file
    from .settings import Settings

    options = Settings(**settings)
    return [f for path in discover(paths, options) for f in lint_file(path, options).findings]
