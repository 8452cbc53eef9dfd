"""pre-commit, for real: a project that uses this checkout's hook, as the working tree has it.

pre-commit clones the hook repository at `rev` and installs it into its own virtualenv. So
that the test checks what is being changed (not the last commit), the working tree's files,
tracked and new, are committed into a scratch repository and the hook points there. These
tests need git, pre-commit itself (the test extras), and the package index for param-lint's
dependencies. If pre-commit is missing the tests fail: nothing here is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import EXAMPLES, ROOT

HOOK_CONFIG = """repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: param-lint
"""
NOT_A_MODEL_CONFIG = "# a CI file: YAML, but not a model config\non: push\njobs: {}\n"


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the module: the hook's virtualenv is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def git(*args: str, cwd: Path) -> str:
    identity = ["-c", "user.name=param-lint tests", "-c", "user.email=tests@param-lint.invalid"]
    return subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def hook_repository(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout's working tree, uncommitted changes and new files included, as a repository and its rev."""
    repository = tmp_path_factory.mktemp("hook-repository")
    for name in git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).split("\0"):
        source, target = ROOT / name, repository / name
        if not name or not os.path.lexists(source):  # deleted in the working tree
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
        elif source.is_file():
            shutil.copy2(source, target)
    git("init", "-q", cwd=repository)
    git("add", "-A", cwd=repository)
    git("commit", "-q", "-m", "the working tree under test", cwd=repository)
    return repository, git("rev-parse", "HEAD", cwd=repository)


def project_with(tmp_path: Path, configs: dict[str, str], hook: tuple[Path, str]) -> Path:
    """A git repository with `configs` (name -> example under examples/) and the hook configured."""
    repository, rev = hook
    git("init", "-q", cwd=tmp_path)
    for name, example in configs.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLES / example, tmp_path / name)
    (tmp_path / "ci.yml").write_text(NOT_A_MODEL_CONFIG)
    (tmp_path / ".pre-commit-config.yaml").write_text(HOOK_CONFIG.format(repo=repository, rev=rev))
    git("add", ".", cwd=tmp_path)
    return tmp_path


def pre_commit_run(project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    environment.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--all-files"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_hook_fails_on_a_broken_config_and_shows_pl301(
    tmp_path: Path, pre_commit_home: Path, hook_repository: tuple[Path, str]
) -> None:
    configs = {"configs/gpt3.yaml": "gpt3-175b.yaml", "configs/article.yaml": "broken/article-wo-shape.yaml"}
    project = project_with(tmp_path, configs, hook_repository)
    run = pre_commit_run(project, pre_commit_home)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "configs/article.yaml:15:3: PL301 W_O is (12288, 128)" in run.stdout
    assert "param-lint" in run.stdout and "Failed" in run.stdout


def test_the_hook_passes_on_good_configs_and_passes_over_other_yaml(
    tmp_path: Path, pre_commit_home: Path, hook_repository: tuple[Path, str]
) -> None:
    configs = {
        "configs/gpt3.yaml": "gpt3-175b.yaml",
        "configs/llama.yaml": "llama-2-7b.yaml",
        "hf/config.json": "hf-llama-2-7b.json",
    }
    run = pre_commit_run(project_with(tmp_path, configs, hook_repository), pre_commit_home)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout
