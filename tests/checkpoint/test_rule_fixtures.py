"""The checkpoint rule fixtures under tests/rules/ and the README's example checkpoint
(examples/checkpoint/) are exactly what build.py writes."""

from __future__ import annotations

from pathlib import Path

from .build import make_example, make_rule_fixtures

RULES = Path(__file__).resolve().parents[1] / "rules"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "checkpoint"


def test_committed_rule_fixtures_are_the_generated_ones(tmp_path):
    for folder in make_rule_fixtures(tmp_path):
        same_files(RULES / folder.relative_to(tmp_path), folder)


def test_the_readmes_example_checkpoint_is_the_generated_one(tmp_path):
    same_files(EXAMPLES / "tiny-llama", make_example(tmp_path))


def same_files(committed: Path, folder: Path) -> None:
    names = sorted(p.name for p in folder.iterdir())
    assert sorted(p.name for p in committed.iterdir() if not p.name.endswith(".expect")) == names
    for name in names:
        assert (committed / name).read_bytes() == (folder / name).read_bytes(), committed / name
