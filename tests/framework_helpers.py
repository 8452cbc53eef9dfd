"""Helpers for the framework-dialect tests: run param-lint in-process, find ../shared."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from param_lint.cli import main

ROOT = Path(__file__).resolve().parents[1]


def shared_configs() -> Path | None:
    """../shared/framework-configs beside the checkout (PARAM_LINT_SHARED names it from a worktree)."""
    base = Path(os.environ.get("PARAM_LINT_SHARED", ROOT / ".." / "shared")) / "framework-configs"
    return base if base.is_dir() else None


def needs_shared() -> Path:
    folder = shared_configs()
    if folder is None:
        pytest.skip("../shared/framework-configs is not here")
    return folder


def lint_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    """Exit status and the JSON report of `param-lint --format json --isolated ARGV`."""
    capsys.readouterr()
    status = main(["--format", "json", *argv])
    return status, json.loads(capsys.readouterr().out)


def pyproject(tmp_path: Path, entries: dict[str, dict[str, Any]]) -> str:
    """A pyproject.toml with `[tool.param-lint.files."glob"]` entries; returns its path."""
    lines = ["[tool.param-lint]"]
    for glob, values in entries.items():
        lines.append(f'[tool.param-lint.files."{glob}"]')
        lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    path = tmp_path / "pyproject.toml"
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def codes(report: dict[str, Any]) -> list[str]:
    return [d["code"] for f in report["files"] for d in f["diagnostics"]]


class Golden:
    """A golden.json written by a tools/make_*_golden.py script: fixtures and shared files."""

    def __init__(self, path: Path) -> None:
        self.entries: dict[str, Any] = json.loads(path.read_text())
        self.fixtures = sorted(key for key in self.entries if key.startswith("tests/"))
        self.shared = sorted(key.removeprefix("shared:") for key in self.entries if key.startswith("shared:"))

    def __getitem__(self, key: str) -> dict[str, Any]:
        return self.entries[key]

    def declared(self, tmp_path: Path, fixture: str) -> str:
        """A pyproject declaring the fixture's tokenizer size, when it names a tokenizer."""
        n_vocab = self.entries[fixture]["n_vocab_declared"]
        return pyproject(tmp_path, {Path(fixture).name: {"n_vocab": n_vocab}} if n_vocab else {})

    def lint_fixture(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, fixture: str
    ) -> tuple[int, dict[str, Any]]:
        """Exit status and report entry of a fixture of ours, its tokenizer size declared."""
        status, report = lint_json(capsys, "--config", self.declared(tmp_path, fixture), str(ROOT / fixture))
        (entry,) = report["files"]
        return status, entry

    def lint_shared(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, relpath: str, glob: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Exit status and report entry of a file in ../shared (skips without it), with the
        tokenizer size the golden tool declared for it under `glob` (its relative path)."""
        folder = needs_shared()
        n_vocab = self.entries[f"shared:{relpath}"]["n_vocab_declared"]
        settings = pyproject(tmp_path, {glob or relpath: {"n_vocab": n_vocab}})
        status, report = lint_json(capsys, "--config", settings, str(folder / relpath))
        (entry,) = report["files"]
        return status, entry
