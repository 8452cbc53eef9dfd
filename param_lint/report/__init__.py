"""Reporters: one class per output format, in a name -> class registry that feeds --format."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..results import FileResult


@dataclass(frozen=True)
class Summary:
    files: int
    errors: int
    warnings: int

    @classmethod
    def of(cls, results: Sequence[FileResult]) -> Summary:
        findings = [f for r in results for f in r.findings]
        errors = sum(f.severity == "error" for f in findings)
        return cls(sum(not r.skipped for r in results), errors, len(findings) - errors)


class Reporter(Protocol):
    def render(self, results: Sequence[FileResult], breakdown: bool = False) -> str: ...


def reporters() -> dict[str, type]:
    """The formats, by name. Imported on demand: a run loads only the one it uses."""
    from .github import GithubReporter
    from .json import JsonReporter
    from .sarif import SarifReporter
    from .text import TextReporter

    return {"text": TextReporter, "json": JsonReporter, "github": GithubReporter, "sarif": SarifReporter}


FORMATS = ("text", "json", "github", "sarif")
