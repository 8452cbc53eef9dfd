"""JSON: one document on stdout, as in the contract (README, "JSON output")."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict

from ..results import FileResult
from . import Summary, shown_path


class JsonReporter:
    def render(self, results: Sequence[FileResult], breakdown: bool = False) -> str:
        summary = Summary.of(results)
        document = {
            "files": [self.file(result, breakdown) for result in results if not result.skipped],
            "summary": {"files": summary.files, "errors": summary.errors, "warnings": summary.warnings},
        }
        return json.dumps(document, indent=2) + "\n"

    def file(self, result: FileResult, breakdown: bool) -> dict:
        entry: dict = {"path": shown_path(result.path)}
        if result.dialect is not None:
            entry["dialect"] = result.dialect
        if result.family is not None:
            entry["family"] = result.family
        entry.update(params=result.params, expected_params=result.expected_params)
        if result.parts is not None:
            entry["parts"] = [{"name": name, "params": params} for name, params in result.parts]
        if result.active_params is not None:
            entry["active_params"] = result.active_params
            entry["expected_active_params"] = result.expected_active_params
        entry["diagnostics"] = [
            {
                **({"path": f.path} if f.path != result.path else {}),  # a checkpoint file beside the config
                "code": f.code,
                "severity": f.severity,
                "line": f.line,
                "column": f.column,
                "message": f.message,
                "explanations": [asdict(e) for e in f.explanations],
            }
            for f in result.findings
        ]
        if breakdown and result.breakdown is not None:
            entry["breakdown"] = [
                {
                    "section": s.name,
                    **({"part": s.part} if result.parts is not None else {}),
                    "copies": s.copies,
                    "params": s.params,
                    "terms": [
                        {"name": t.name, "shape": list(t.shape), "group": t.group, "params": t.params} for t in s.terms
                    ],
                }
                for s in result.breakdown.sections
            ]
            if result.config is not None and result.config.notes:
                entry["notes"] = list(result.config.notes)  # how the framework sized things (padding, FFN rule)
        return entry
