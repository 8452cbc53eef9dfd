"""GitHub Actions workflow commands: annotations on the pull request's changed lines."""

from __future__ import annotations

from collections.abc import Sequence

from ..results import FileResult
from . import Summary, shown_path
from .text import summary_line


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter:
    def render(self, results: Sequence[FileResult], breakdown: bool = False) -> str:
        lines = []
        for result in results:
            for f in result.findings:
                level = "error" if f.severity == "error" else "warning"
                message = f.message + "".join(f"\n{e.id}: {e.message}" for e in f.explanations)
                lines.append(
                    f"::{level} file={_escape_property(shown_path(f.path))},line={f.line},col={f.column},"
                    f"title={_escape_property('param-lint ' + f.code)}::{_escape_data(f.code + ' ' + message)}"
                )
        lines.append(summary_line(Summary.of(results)))
        return "\n".join(lines) + "\n"
