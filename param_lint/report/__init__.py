"""Reporters: one class per output format, in one name -> class registry that feeds --format."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Protocol

from ..results import FileResult

# The one registry: format name -> "module:Class" under param_lint.report. --format offers
# exactly these; each is imported on demand, so a run loads only the one it uses.
FORMATS = {
    "text": "text:TextReporter",
    "json": "json:JsonReporter",
    "github": "github:GithubReporter",
    "sarif": "sarif:SarifReporter",
}


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


def reporter_for(name: str) -> Reporter:
    """A reporter for the format `name` (one of FORMATS)."""
    module, _, cls = FORMATS[name].partition(":")
    return getattr(import_module(f"{__name__}.{module}"), cls)()


def reporters() -> dict[str, type]:
    """Every format's reporter class, by name."""
    return {name: type(reporter_for(name)) for name in FORMATS}


def shown_path(path: str) -> str:
    """A path as text that any output can carry: bytes that are not UTF-8 (a file name from
    another encoding reaches Python as lone surrogates) are shown as \\xNN escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
