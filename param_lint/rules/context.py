"""What a rule sees: one file's document, config, breakdown and declarations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ..counting import Breakdown
from ..dialects import ModelConfig
from ..directives import Directives
from ..document import Document
from ..findings import Explanation, Finding, Mark
from ..parallel import Parallel
from ..quantities import Tolerance
from ..results import Declared

if TYPE_CHECKING:
    from ..checkpoint.compare import Comparison


@dataclass
class Context:
    """One file on its way through the rules. Rules read it and never change it."""

    path: str
    document: Document | None
    load_findings: list[Finding] = field(default_factory=list)  # PL001-PL003, and PL101 from the loader
    directives: Directives = field(default_factory=Directives)  # `# param-lint:` comments
    dialect: str | None = None  # the name of the dialect that recognised the file
    unrecognised: list[Finding] = field(default_factory=list)  # PL100: no dialect reads this file
    schema_findings: list[Finding] = field(default_factory=list)  # PL101
    cannot_count: list[Finding] = field(default_factory=list)  # PL102: recognised, but not countable
    parallel: Parallel | None = None  # parallel sizes of a framework config that cannot be counted (PL4xx)
    count_declared: bool = False  # an expected count is declared for the file (in it or in settings)
    config: ModelConfig | None = None
    breakdown: Breakdown | None = None
    tolerance: Tolerance = field(default_factory=Tolerance)
    expected_params: Declared | None = None
    expected_active_params: Declared | None = None

    def finding(
        self,
        code: str,
        path: Sequence[str | int],
        message: str,
        explanations: Sequence[Explanation] = (),
        at: Mark | None = None,
    ) -> Finding:
        """A finding at the key `path` of this file (or at the position `at`)."""
        mark = at or (self.document.mark(path) if self.document is not None else None)
        line, column = (mark.line, mark.column) if mark else (1, 1)
        return Finding(self.path, line, column, code, message, explanations=tuple(explanations))

    def shape_finding(self, code: str, name: str, declared: tuple[int, ...]) -> Finding | None:
        """A finding when the declared shape of weight `name` is not one the model accepts."""
        from ..shapes import compare, describe

        assert self.config is not None
        layout = self.config.weight_layout
        mismatch = compare(name, declared, self.config.architecture, layout)
        if mismatch is None:
            return None
        explanations = [Explanation(id, message) for id, message in mismatch.explanations]
        return self.finding(code, ("weights", name), describe(mismatch, layout), explanations)

    @cached_property
    def checkpoint(self) -> Comparison | None:
        """The checkpoint beside a Hugging Face config (index, shard headers) against its
        breakdown; None when the folder holds none or the family has no tensor names."""
        from ..checkpoint import compare_folder

        if self.config is None or self.breakdown is None or self.document is None:
            return None
        return compare_folder(self.path, self.config, self.breakdown, self.document.data)

    @cached_property
    def declared_shapes(self) -> tuple[dict[str, tuple[int, ...]], list[Finding]]:
        """The `weights:` shapes evaluated against the model, and PL101 for those that cannot be."""
        from ..expressions import ExpressionError
        from ..shapes import names

        shapes: dict[str, tuple[int, ...]] = {}
        problems: list[Finding] = []
        if self.config is None:
            return shapes, problems
        values = names(self.config.architecture)
        for name, dims in self.config.weights.items():
            if not isinstance(dims, list):
                continue
            try:
                shapes[name] = tuple(_dimension(dim, values) for dim in dims)
            except ExpressionError as error:
                problems.append(self.finding("PL101", ("weights", name), f"weights.{name}: {error}"))
        return shapes, problems


def _dimension(dim: object, values: dict[str, int]) -> int:
    from ..expressions import ExpressionError, evaluate

    if isinstance(dim, bool):
        raise ExpressionError(f"{dim} is not a dimension")
    if isinstance(dim, int):
        return dim
    if isinstance(dim, float) and dim.is_integer():
        return int(dim)
    if isinstance(dim, str):
        return evaluate(dim, values)
    raise ExpressionError(f"{dim!r} is not a dimension")
