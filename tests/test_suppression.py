"""Inline suppression in YAML: `# param-lint: disable=CODES` on a line, `disable-file` for the whole file."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import param_lint

MODEL = "model:\n  n_vocab: 10\n  n_context: 4\n  n_layer: 1\n  d_model: 8\n  n_head: 2\n"
NARROW_FF = "  d_ff: 4"  # PL303 on this line: d_ff < d_model


def findings(tmp_path: Path, text: str) -> list[tuple[str, int]]:
    (tmp_path / "a.yaml").write_text(text)
    run = param_lint("--format", "json", "a.yaml", cwd=tmp_path)
    return [(d["code"], d["line"]) for f in json.loads(run.stdout)["files"] for d in f["diagnostics"]]


def test_unsuppressed_finding_is_reported(tmp_path: Path) -> None:
    assert findings(tmp_path, MODEL + NARROW_FF + "\n") == [("PL303", 7)]


def test_line_comment_silences_its_code_on_that_line(tmp_path: Path) -> None:
    assert findings(tmp_path, MODEL + NARROW_FF + "  # param-lint: disable=PL303\n") == []


def test_line_comment_leaves_other_codes_on_that_line(tmp_path: Path) -> None:
    assert findings(tmp_path, MODEL + NARROW_FF + "  # param-lint: disable=PL302\n") == [("PL303", 7)]


def test_line_comment_does_not_reach_other_lines(tmp_path: Path) -> None:
    text = MODEL.replace("n_head: 2\n", "n_head: 2  # param-lint: disable=PL303\n") + NARROW_FF + "\n"
    assert findings(tmp_path, text) == [("PL303", 7)]


def test_line_comment_without_codes_silences_everything_on_that_line(tmp_path: Path) -> None:
    assert findings(tmp_path, MODEL + NARROW_FF + "  # param-lint: disable\n") == []


def test_file_comment_silences_its_codes_everywhere(tmp_path: Path) -> None:
    text = "# param-lint: disable-file=PL303,PL201\n" + MODEL + NARROW_FF + "\nexpected_params: 5\n"
    assert findings(tmp_path, text) == []


def test_file_comment_leaves_other_codes(tmp_path: Path) -> None:
    text = "# param-lint: disable-file=PL303\n" + MODEL + NARROW_FF + "\nexpected_params: 5\n"
    assert findings(tmp_path, text) == [("PL201", 9)]


def test_bare_file_comment_silences_every_code(tmp_path: Path) -> None:
    text = "# param-lint: disable-file\n" + MODEL + NARROW_FF + "\nexpected_params: 5\n"
    assert findings(tmp_path, text) == []
