"""SARIF 2.1.0: for code scanning dashboards. Every rule is listed with its help text."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..results import FileResult
from ..rules import RULES

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


class SarifReporter:
    def render(self, results: Sequence[FileResult], breakdown: bool = False) -> str:
        from .. import __version__

        codes = list(RULES)
        rules = [
            {
                "id": code,
                "name": rule.NAME,
                "shortDescription": {"text": rule.SUMMARY},
                "fullDescription": {"text": (rule.__doc__ or rule.SUMMARY).strip()},
                "help": {"text": (rule.__doc__ or rule.SUMMARY).strip()},
                "defaultConfiguration": {"level": "error" if rule.SEVERITY == "error" else "warning"},
            }
            for code, rule in RULES.items()
        ]
        sarif_results = [
            {
                "ruleId": f.code,
                "ruleIndex": codes.index(f.code),
                "level": "error" if f.severity == "error" else "warning",
                "message": {"text": f.message + "".join(f"\n{e.id}: {e.message}" for e in f.explanations)},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(f.path)},
                            "region": {"startLine": max(f.line, 1), "startColumn": max(f.column, 1)},
                        }
                    }
                ],
            }
            for result in results
            for f in result.findings
        ]
        document = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "param-lint",
                            "version": __version__,
                            "informationUri": "https://github.com/param-lint/param-lint",
                            "rules": rules,
                        }
                    },
                    "results": sarif_results,
                }
            ],
        }
        return json.dumps(document, indent=2) + "\n"


def _uri(path: str) -> str:
    """A relative URI reference: the name's own bytes, percent-encoded (any encoding survives)."""
    import os
    from urllib.parse import quote

    return quote(os.fsencode(path.replace("\\", "/").removeprefix("./")))
