"""Style and types are checked by the test run itself (the test extras install ruff and mypy)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from tests.test_cli import ROOT


def run_tool(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed: pip install -e '.[test]'")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_check_is_clean() -> None:
    run = run_tool("ruff", "check", ".")
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format_leaves_every_file_as_it_is() -> None:
    run = run_tool("ruff", "format", "--check", ".")
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_finds_no_type_error() -> None:
    run = run_tool("mypy")  # files and settings: [tool.mypy] in pyproject.toml
    assert run.returncode == 0, run.stdout + run.stderr
