"""Which files a run lints: globs and directory searches share one discovery with the same rules."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_cli import param_lint, param_lint_process

TINY = "model:\n  n_vocab: 10\n  n_context: 4\n  n_layer: 1\n  d_model: 8\n  n_head: 2\n"  # 1,000 parameters


def tree(root: Path, *names: str) -> Path:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(TINY)
    return root


def linted(*args: str, cwd: Path) -> list[str]:
    run = param_lint("--isolated", "--format", "json", *args, cwd=cwd)
    assert run.returncode in (0, 1), run.stderr
    return [f["path"] for f in json.loads(run.stdout)["files"]]


def test_a_quoted_glob_does_not_follow_symlink_loops(tmp_path: Path) -> None:
    tree(tmp_path, "gl/a/b/x.yaml")
    os.symlink("..", tmp_path / "gl/a/up")
    os.symlink("../..", tmp_path / "gl/a/b/up2")
    # A child process: following the loops never ends, and a hung child can be killed.
    run = param_lint_process("--isolated", "--format", "json", "gl/**/*.yaml", cwd=tmp_path, timeout=20)
    assert [f["path"] for f in json.loads(run.stdout)["files"]] == ["gl/a/b/x.yaml"]


def test_a_file_reached_through_a_symlink_is_linted_once(tmp_path: Path) -> None:
    tree(tmp_path, "configs/real.yaml")
    os.symlink("real.yaml", tmp_path / "configs/alias.yaml")
    assert linted("configs", cwd=tmp_path) == ["configs/real.yaml"]
    assert linted("configs/*.yaml", cwd=tmp_path) == ["configs/real.yaml"]


SKIPPED = ["node_modules", ".venv", ".venv-3.11", "venv311", "venv", "env", "site-packages", ".git", ".tox", "build",
           "dist", ".hidden"]  # fmt: skip


@pytest.mark.parametrize("directory", SKIPPED)
def test_a_search_skips_virtualenvs_tool_and_hidden_directories(tmp_path: Path, directory: str) -> None:
    tree(tmp_path, "repo/configs/a.yaml", f"repo/{directory}/b.yaml", f"repo/configs/{directory}/c.yaml")
    assert linted("repo", cwd=tmp_path) == ["repo/configs/a.yaml"]


@pytest.mark.parametrize("directory", ["node_modules", ".venv", "venv311", "env", "build"])
def test_a_glob_skips_the_same_directories(tmp_path: Path, directory: str) -> None:
    tree(tmp_path, "repo/a.yaml", f"repo/{directory}/b.yaml")
    assert linted("repo/**/*.yaml", cwd=tmp_path) == ["repo/a.yaml"]


def test_a_directory_named_on_the_command_line_is_searched_even_if_it_would_be_skipped(tmp_path: Path) -> None:
    tree(tmp_path, "build/a.yaml")
    assert linted("build", cwd=tmp_path) == ["build/a.yaml"]


def test_a_glob_matching_a_directory_searches_it(tmp_path: Path) -> None:
    tree(tmp_path, "configs/llama/a.yaml", "configs/llama/deep/b.json")
    assert linted("configs/*", cwd=tmp_path) == ["configs/llama/a.yaml", "configs/llama/deep/b.json"]


def test_a_search_respects_gitignore_in_a_git_tree(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    tree(tmp_path, "configs/a.yaml", "outputs/run1/b.yaml", "configs/c.scratch.yaml")
    (tmp_path / ".gitignore").write_text("outputs/\n*.scratch.yaml\n")
    assert linted(".", cwd=tmp_path) == ["./configs/a.yaml"]
    assert linted("**/*.yaml", cwd=tmp_path) == ["configs/a.yaml"]


def test_gitignore_does_not_hide_a_file_named_explicitly(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    tree(tmp_path, "outputs/b.yaml")
    (tmp_path / ".gitignore").write_text("outputs/\n")
    assert linted("outputs/b.yaml", cwd=tmp_path) == ["outputs/b.yaml"]


def test_gitignore_outside_a_git_tree_is_not_read(tmp_path: Path) -> None:
    tree(tmp_path, "outputs/b.yaml")
    (tmp_path / ".gitignore").write_text("outputs/\n")
    if shutil.which("git") and subprocess.run(["git", "rev-parse"], cwd=tmp_path, capture_output=True).returncode == 0:
        pytest.skip("tmp_path is inside a git work tree")
    assert linted(".", cwd=tmp_path) == ["./outputs/b.yaml"]


def _scandir_denied(monkeypatch: pytest.MonkeyPatch, denied: str) -> None:
    """chmod 000 does not stop root (CI runs as root): refuse the directory as the kernel would."""
    real = os.scandir

    def scandir(path="."):  # type: ignore[no-untyped-def]
        if os.path.basename(os.path.normpath(os.fspath(path))) == denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_an_unreadable_subdirectory_is_a_finding_not_a_silent_gap(tmp_path: Path, monkeypatch) -> None:
    tree(tmp_path, "configs/a.yaml", "configs/locked/b.yaml")
    _scandir_denied(monkeypatch, "locked")
    run = param_lint("--isolated", "configs", cwd=tmp_path)
    assert run.returncode == 1
    assert "configs/locked:1:1: PL001 cannot read the directory: Permission denied" in run.stdout


def test_an_unreadable_directory_named_explicitly_says_permission_denied(tmp_path: Path, monkeypatch) -> None:
    tree(tmp_path, "locked/b.yaml")
    _scandir_denied(monkeypatch, "locked")
    run = param_lint("--isolated", "locked", cwd=tmp_path)
    assert run.returncode == 1 and "Permission denied" in run.stdout and "no files matched" not in run.stderr


def test_exclude_applies_to_a_file_named_explicitly(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.param-lint]\nexclude = ["legacy"]\n')
    tree(tmp_path, "legacy/old.yaml", "configs/new.yaml")
    (tmp_path / "legacy/old.yaml").write_text("model: {n_layer: 1, d_model: 8}\n")  # would be PL101
    run = param_lint("--format", "json", "legacy/old.yaml", "configs/new.yaml", cwd=tmp_path)
    assert run.returncode == 0 and [f["path"] for f in json.loads(run.stdout)["files"]] == ["configs/new.yaml"]


def test_a_run_whose_every_file_is_excluded_passes(tmp_path: Path) -> None:
    """pre-commit names only excluded files: nothing to check is not a failure."""
    (tmp_path / "pyproject.toml").write_text('[tool.param-lint]\nexclude = ["legacy"]\n')
    tree(tmp_path, "legacy/old.yaml")
    run = param_lint("legacy/old.yaml", cwd=tmp_path)
    assert run.returncode == 0 and "excluded" in run.stderr


def test_a_glob_that_matches_nothing_next_to_good_paths_gets_a_warning(tmp_path: Path) -> None:
    tree(tmp_path, "configs/a.yaml")
    run = param_lint("--isolated", "configs/a.yaml", "confgs/*.yaml", cwd=tmp_path)
    assert run.returncode == 0
    assert run.stderr == "param-lint: warning: confgs/*.yaml matched no files\n"
