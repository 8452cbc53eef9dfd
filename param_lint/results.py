"""What linting one file produced: plain data that reporters, --fix and the API read."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .counting import Breakdown
from .dialects import ModelConfig
from .findings import Finding


@dataclass
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
    params: int | None = None  # the exact count; set from the breakdown
    active_params: int | None = None  # mixture of experts only

    def __post_init__(self) -> None:
        if self.breakdown is not None and self.params is None:
            self.params = self.breakdown.total
            if self.config is not None and self.config.architecture.is_moe:
                self.active_params = self.breakdown.active

    def summary(self) -> FileResult:
        """The same result without the breakdown and config: what a report needs, cheap to send."""
        return replace(self, breakdown=None, config=None)
