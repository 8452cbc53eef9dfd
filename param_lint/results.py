"""What linting one file produced: plain data that reporters, --fix and the API read."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .counting import Breakdown
from .dialects import ModelConfig
from .document import Path
from .findings import Finding, Mark


@dataclass
class Declared:
    """A count the user declared, and where: a key of the file, a directive, or pyproject."""

    value: int
    path: Path  # the file's key (empty when declared elsewhere)
    source: str = "file"  # file | directive | pyproject
    mark: Mark | None = None  # a directive's value: where it starts
    end: Mark | None = None  # ... and just past it
    origin: str = ""  # the pyproject.toml that declared it


# Shared by every summary that has none (50,000 empty dicts and lists cost 6 MB); summaries
# are read (by reporters), never changed.
_NOTHING_DECLARED: dict[str, Declared] = {}
_NO_FINDINGS: list[Finding] = []


@dataclass(slots=True)  # 50,000 of them stay in memory until the report: no __dict__ each
class FileResult:
    """One file's outcome: its findings and, when it could be counted, its breakdown."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    breakdown: Breakdown | None = None
    config: ModelConfig | None = None
    expected_params: int | None = None
    expected_active_params: int | None = None
    skipped: bool = False  # not a model config, and the run was told to pass over those
    dialect: str | None = None  # the format that recognised the file (None: not a config)
    family: str | None = None  # the model type within the dialect, when it names one
    declared: dict[str, Declared] = field(default_factory=dict)  # expected counts, and where they live
    params: int | None = None  # the exact count; set from the breakdown
    active_params: int | None = None  # mixture of experts only
    parts: list[tuple[str, int]] | None = None  # a composite model: (part, parameters), text first

    def __post_init__(self) -> None:
        if self.breakdown is not None and self.params is None:
            self.params = self.breakdown.total
            if self.config is not None and self.config.architecture.has_active_count:
                self.active_params = self.breakdown.active
            if self.config is not None and self.config.parts:
                self.parts = self.breakdown.parts

    def summary(self) -> FileResult:
        """The same result without the breakdown, config and declarations (only --fix reads
        those, from its own results): what a report needs, cheap to send and to keep."""
        # The count and the declared count are usually the same number: keep one object of it.
        params = self.expected_params if self.params == self.expected_params else self.params
        findings = self.findings or _NO_FINDINGS
        return replace(self, findings=findings, breakdown=None, config=None, declared=_NOTHING_DECLARED, params=params)
