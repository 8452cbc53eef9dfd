"""Each rule against its fixtures: `tests/rules/<CODE>/*.yaml`.

A fixture states what it must produce in comments, `# expect: PL301 15:3` (one line per
finding, codes of this rule only), or `# expect: nothing` for a passing example. JSON
has no comments, so a JSON fixture keeps them in `<name>.json.expect` beside it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from param_lint.pipeline import lint_file
from param_lint.rules import RULES
from param_lint.settings import Settings

HERE = Path(__file__).parent
FIXTURES = sorted(p for p in HERE.glob("PL*/*") if p.suffix in (".yaml", ".yml", ".json"))
FIXTURES += sorted(HERE.glob("PL*/*/config.json"))  # a model folder: config.json beside a checkpoint
EXPECT = re.compile(rb"#\s*expect:\s*(nothing|(PL\d{3})\s+(\d+):(\d+))")


def expectations(path: Path) -> list[tuple[str, int, int]]:
    found = []
    declared = False
    source = path.with_name(path.name + ".expect") if path.suffix == ".json" else path
    for match in EXPECT.finditer(source.read_bytes()):
        declared = True
        if match.group(2):
            found.append((match.group(2).decode(), int(match.group(3)), int(match.group(4))))
    assert declared, f"{path} says nothing about what it expects"
    return sorted(found)


def code_of(fixture: Path) -> str:
    return fixture.relative_to(HERE).parts[0]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.relative_to(HERE).as_posix())
def test_fixture_gives_exactly_the_expected_findings(fixture: Path) -> None:
    code = code_of(fixture)
    result = lint_file(str(fixture), Settings(select=(code,)))
    found = sorted((f.code, f.line, f.column) for f in result.findings)
    assert found == expectations(fixture)


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_a_failing_and_a_passing_fixture(code: str) -> None:
    fixtures = [p for p in FIXTURES if code_of(p) == code]
    assert any(expectations(p) for p in fixtures), f"{code} has no failing fixture"
    if code not in ("PL001", "PL003"):  # these have no 'passing' example of their own
        assert any(not expectations(p) for p in fixtures), f"{code} has no passing fixture"


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_documents_itself(code: str) -> None:
    rule = RULES[code]
    assert rule.CODE == code
    assert rule.SEVERITY in ("error", "warning")
    assert rule.__doc__ and rule.__doc__.startswith(f"{code}:")
    assert rule.NAME and rule.SUMMARY
