"""Text: `path:line:col: CODE message`, explanations indented beneath, then a summary line."""

from __future__ import annotations

from collections.abc import Sequence

from ..counting import Breakdown, Section
from ..quantities import format_size
from ..results import FileResult
from . import Summary, shown_path


class TextReporter:
    def render(self, results: Sequence[FileResult], breakdown: bool = False) -> str:
        lines = []
        for result in results:
            if breakdown and result.breakdown is not None:
                lines += render_breakdown(result)
            for f in result.findings:
                lines.append(f"{shown_path(f.path)}:{f.line}:{f.column}: {f.code} {f.message}")
                lines += [f"    {e.id}: {e.message}" for e in f.explanations]
        lines.append(summary_line(Summary.of(results)))
        return "\n".join(lines) + "\n"


def summary_line(summary: Summary) -> str:
    files = f"{summary.files} file{'s' if summary.files != 1 else ''}"
    if not summary.errors and not summary.warnings:
        return f"All checks passed ({files})."
    errors = f"{summary.errors} error{'s' if summary.errors != 1 else ''}"
    warnings = f"{summary.warnings} warning{'s' if summary.warnings != 1 else ''}"
    return f"Found {errors} and {warnings} in {files}."


def render_breakdown(result: FileResult) -> list[str]:
    """The count laid out as in the article: each block, its terms, per-copy and total."""
    assert result.breakdown is not None and result.config is not None
    b: Breakdown = result.breakdown
    width = len(f"{b.total:,}") + 2
    kind = result.config.family or result.config.dialect
    name = f"{result.config.name} ({kind})" if result.config.name else f"{kind} model"
    lines = [f"{shown_path(result.path)}: {name}, {b.total:,} parameters ({format_size(b.total)})"]
    lines += [f"  {note}" for note in result.config.notes]  # how the framework sized things (padding, FFN rule)
    part_totals = dict(result.parts or ())
    part = None
    for section in b.sections:
        if not section.terms:
            continue
        if part_totals and section.part != part:
            part = section.part
            lines.append(f"  {'[' + part + ' part]':<50}{part_totals[part]:>{width},}")
        times = f" (x {section.copies:,})" if section.copies != 1 else ""
        lines.append(f"  {section.name}{times}")
        for group, terms in _groups(section):
            subtotal = sum(t.params for t in terms)
            lines.append(f"    {group:<48}{subtotal:>{width},}")
            for term in terms:
                shape = "(" + ", ".join(f"{d:,}" for d in term.shape) + ")"
                lines.append(f"      {term.name:<20}{shape:<26}{term.params:>{width},}")
        if section.copies != 1:
            lines.append(f"    {'per ' + section.name:<48}{section.params:>{width},}")
            lines.append(
                f"    {'x ' + format(section.copies, ',') + ' = ' + section.name + 's':<48}{section.total:>{width},}"
            )
        else:
            lines.append(f"    {'= ' + section.name:<48}{section.total:>{width},}")
    for part_name, params in part_totals.items():
        lines.append(f"  {part_name + ' part':<50}{params:>{width},}")
    lines.append(f"  {'total':<50}{b.total:>{width},}")
    if result.active_params is not None:
        lines.append(f"  {'active per token':<50}{b.active:>{width},}")
    return lines


def _groups(section: Section) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for term in section.terms:
        groups.setdefault(term.group, []).append(term)
    return list(groups.items())
