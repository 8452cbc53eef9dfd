"""The checkpoint rule fixtures under tests/rules/ are exactly what build.py writes."""

from __future__ import annotations

from pathlib import Path

from .build import make_rule_fixtures

RULES = Path(__file__).resolve().parents[1] / "rules"


def test_committed_rule_fixtures_are_the_generated_ones(tmp_path):
    for folder in make_rule_fixtures(tmp_path):
        committed = RULES / folder.relative_to(tmp_path)
        names = sorted(p.name for p in folder.iterdir())
        assert sorted(p.name for p in committed.iterdir() if not p.name.endswith(".expect")) == names
        for name in names:
            assert (committed / name).read_bytes() == (folder / name).read_bytes(), committed / name
