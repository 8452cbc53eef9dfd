"""The README is part of the contract: its commands, tables and sample output stay true."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from param_lint.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_exactly_two_setup_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block and README.index(first_block.group(0)) < README.index("## ")
    commands = first_block.group(1).strip().splitlines()
    assert len(commands) == 2
    assert "param-lint examples/" in commands[0]
    assert "pip install" in commands[1] and "[test]" in commands[1] and "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command() -> None:
    test_command = re.search(r"```sh\n.*?\n(.*?)\n```", README, re.S).group(1)
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_readme_documents_every_rule_code() -> None:
    documented = set(re.findall(r"^\| (PL\d{3}) \|", README, re.M))
    assert documented == set(RULES)


def test_readme_documents_every_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        assert f"id: {hook['id']}" in README


SAMPLES = re.findall(r"```text\n\$ (param-lint [^\n]*)\n(.*?)```", README, re.S)


@pytest.mark.parametrize(("command", "expected"), SAMPLES, ids=[c for c, _ in SAMPLES])
def test_readme_sample_output_is_what_param_lint_prints(command: str, expected: str) -> None:
    args = shlex.split(command)[1:]
    run = subprocess.run([sys.executable, "-m", "param_lint", *args], cwd=ROOT, capture_output=True, text=True)
    assert run.stdout == expected


def test_readme_lists_every_hugging_face_family() -> None:
    from param_lint.dialects.hf import FAMILIES

    section = README[README.index("## Hugging Face") : README.index("## Rules")]
    listed = set(re.findall(r"\b([a-z][a-z0-9_]+)\b", section))
    assert set(FAMILIES) <= listed
