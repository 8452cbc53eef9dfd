"""`param-lint rules` lists every code; `param-lint rules CODE` prints the rule's own docstring."""

from __future__ import annotations

import pytest

from param_lint.rules import RULES, enabled_by_default
from tests.test_cli import param_lint


def test_rules_lists_one_line_per_code_in_registry_order() -> None:
    lines = param_lint("rules").stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)


def test_rules_lists_each_codes_severity_name_and_summary() -> None:
    lines = param_lint("rules").stdout.splitlines()
    assert len(lines) == len(RULES)
    for line, rule in zip(lines, RULES.values(), strict=True):
        assert line.split()[1:3] == [rule.SEVERITY, rule.NAME] and rule.SUMMARY in line


def test_rules_marks_the_rules_that_are_off_by_default() -> None:
    off = [
        line.split()[0] for line in param_lint("rules").stdout.splitlines() if line.endswith("(off unless selected)")
    ]
    assert off == [code for code in RULES if not enabled_by_default(code)] == ["PL202"]


@pytest.mark.parametrize("code", list(RULES))
def test_rules_code_prints_the_rules_docstring(code: str) -> None:
    run = param_lint("rules", code)
    rule = RULES[code]
    assert run.returncode == 0
    assert run.stdout == f"{code} ({rule.NAME}, {rule.SEVERITY})\n\n{rule.__doc__.strip()}\n\n"


def test_rules_accepts_a_lowercase_code() -> None:
    assert param_lint("rules", "pl301").stdout == param_lint("rules", "PL301").stdout


def test_rules_with_an_unknown_code_exits_2() -> None:
    run = param_lint("rules", "PL999")
    assert run.returncode == 2 and "unknown rule 'PL999'" in run.stderr
