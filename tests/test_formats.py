"""--format github (workflow commands) and --format sarif (SARIF 2.1.0, checked against the official schema)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from param_lint.rules import RULES
from tests.test_cli import param_lint

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())
BROKEN = ("examples/broken/", "tests/rules/PL303/swapped-d-ff.yaml", "does-not-exist.yaml")
WORKFLOW_COMMAND = re.compile(r"::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=param-lint (PL\d{3})::(.*)")


def json_findings(*paths: str) -> list[tuple[str, str, int, int, str]]:
    """(severity, path, line, column, code) of every finding, from the JSON report."""
    document = json.loads(param_lint("--format", "json", *paths).stdout)
    return [
        (d["severity"], f["path"], d["line"], d["column"], d["code"])
        for f in document["files"]
        for d in f["diagnostics"]
    ]


def test_github_format_is_one_workflow_command_per_finding() -> None:
    run = param_lint("--format", "github", *BROKEN)
    commands = [WORKFLOW_COMMAND.fullmatch(line) for line in run.stdout.splitlines()[:-1]]
    assert all(commands), run.stdout
    found = [(m.group(1), m.group(2), int(m.group(3)), int(m.group(4)), m.group(5)) for m in commands]
    assert found == json_findings(*BROKEN)


def test_github_format_points_pl301_at_the_w_o_line() -> None:
    run = param_lint("--format", "github", "examples/broken/article-wo-shape.yaml")
    assert (
        "::error file=examples/broken/article-wo-shape.yaml,line=15,col=3,title=param-lint PL301::PL301 W_O is"
        in run.stdout
    )
    assert run.returncode == 1


def test_github_format_escapes_newlines_and_percent_signs() -> None:
    run = param_lint("--format", "github", "examples/broken/article-wo-shape.yaml")
    pl201 = next(line for line in run.stdout.splitlines() if "PL201" in line)
    assert "(-8.22%25)" in pl201 and "%0Awo_shape: " in pl201


def test_github_format_ends_with_the_summary() -> None:
    run = param_lint("--format", "github", "examples/gpt3-175b.yaml")
    assert run.stdout == "All checks passed (1 file).\n"


def test_github_actions_environment_chooses_the_github_format() -> None:
    run = param_lint("examples/broken/article-wo-shape.yaml", env={"GITHUB_ACTIONS": "true"})
    assert run.stdout.startswith("::error file=examples/broken/article-wo-shape.yaml,line=13,col=1,")


def test_an_explicit_format_wins_over_github_actions() -> None:
    run = param_lint("--format", "text", "examples/broken/article-wo-shape.yaml", env={"GITHUB_ACTIONS": "true"})
    assert run.stdout.startswith("examples/broken/article-wo-shape.yaml:13:1: PL201 ")


def sarif(*paths: str) -> dict:
    return json.loads(param_lint("--format", "sarif", *paths).stdout)


@pytest.mark.parametrize("paths", [BROKEN, ("examples/gpt3-175b.yaml",)], ids=["findings", "clean"])
def test_sarif_validates_against_the_official_schema(paths: tuple[str, ...]) -> None:
    validator = jsonschema.validators.validator_for(SARIF_SCHEMA)
    validator.check_schema(SARIF_SCHEMA)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator(SARIF_SCHEMA).iter_errors(sarif(*paths))]
    assert errors == []


def test_sarif_lists_every_rule_with_its_documentation_as_help() -> None:
    rules = sarif("examples/gpt3-175b.yaml")["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(RULES)
    for entry in rules:
        assert entry["help"]["text"] == RULES[entry["id"]].__doc__.strip()
        assert entry["shortDescription"]["text"] == RULES[entry["id"]].SUMMARY


def test_sarif_results_carry_the_findings_1_based_positions_and_levels() -> None:
    run = sarif(*BROKEN)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    found = []
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = location["region"]
        found.append(
            (
                result["level"],
                location["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
                result["ruleId"],
            )
        )
    assert found == json_findings(*BROKEN)
    assert min(line for _, _, line, _, _ in found) >= 1 and min(column for *_, column, _ in found) >= 1
