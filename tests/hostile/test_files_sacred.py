"""Files are sacred: without --fix, param-lint writes nothing, anywhere in the tree it reads."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from tests.test_cli import param_lint

ROOT = Path(__file__).resolve().parents[2]


def tree_state(directory: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file and directory: mtime (ns), mode, and bytes. A new file, a touch or an edit shows."""
    state = {}
    for path in sorted([directory, *directory.rglob("*")]):
        info = path.stat()
        state[str(path.relative_to(directory))] = (
            info.st_mtime_ns,
            info.st_mode,
            path.read_bytes() if path.is_file() else b"",
        )
    return state


@pytest.mark.parametrize(
    "options", [[], ["--format", "json", "--breakdown"], ["--format", "sarif"], ["--select", "PL"]]
)
def test_a_run_without_fix_writes_nothing(options: list[str], tmp_path: Path) -> None:
    tree = tmp_path / "repo"
    shutil.copytree(ROOT / "examples", tree / "examples")  # broken configs included: --fix would rewrite them
    (tree / "pyproject.toml").write_text('[tool.param-lint]\ntolerance = "1%"\n')
    old = time.time_ns() - 10_000_000_000  # mtimes in the past, so a rewrite with equal bytes still shows
    for path in [tree, *tree.rglob("*")]:
        os.utime(path, ns=(old, old))
    before = tree_state(tree)
    run = param_lint(*options, ".", cwd=tree)
    assert run.returncode == 1, run.stdout + run.stderr  # the broken examples fail...
    assert tree_state(tree) == before  # ...and stay exactly as they were
