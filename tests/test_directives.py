"""`# param-lint:` directives: exact suppressions and declarations in real comments only.

Declarations outside the file: a directive (YAML) or a pyproject entry declares counts for
files whose format cannot carry a key of ours; both drive PL201 and `--fix`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.cli import main

MODEL = "model:\n  n_vocab: 10\n  n_context: 4\n  n_layer: 1\n  d_model: 8\n  n_head: 2\n"
NARROW_FF = "  d_ff: 4\n"  # PL303 on line 7: d_ff < d_model
COUNT = 524  # the model above with d_ff 4 (see test_the_model_has_the_count_these_tests_assume)
COUNT_WIDE_FF = 1000  # ... and with the default d_ff, 4 * d_model


def lint(capsys, tmp_path: Path, text: str, name: str = "a.yaml", *argv: str) -> list[tuple[str, int, str]]:
    (tmp_path / name).write_text(text)
    main(["--isolated", "--format", "json", *argv, str(tmp_path / name)])
    report = json.loads(capsys.readouterr().out)
    return [(d["code"], d["line"], d["severity"]) for f in report["files"] for d in f["diagnostics"]]


def test_the_model_has_the_count_these_tests_assume(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MODEL + NARROW_FF)
    main(["--isolated", "--format", "json", str(tmp_path / "a.yaml")])
    assert json.loads(capsys.readouterr().out)["files"][0]["params"] == COUNT


@pytest.mark.parametrize(
    "directive",
    [
        "# param-lint: disable-file=pl303",
        "# param-lint: disable-file: PL303",
        "# param-lint: disable=pl301",
        "# param-lint: disabled",
        "# param-lint: disable-file=PL303 ,PL201",
        "# param-lint: disable-file=PL999",
    ],
)
def test_a_mistyped_directive_silences_nothing_and_is_reported(capsys, tmp_path: Path, directive: str) -> None:
    found = lint(capsys, tmp_path, directive + "\n" + MODEL + NARROW_FF)
    assert ("PL303", 8, "warning") in found
    assert ("PL103", 1, "warning") in found


@pytest.mark.parametrize(
    "text",
    [
        'name: "# param-lint: disable-file"\n' + MODEL + NARROW_FF,
        "name: '# param-lint: disable-file'\n" + MODEL + NARROW_FF,
        "notes: |\n  # param-lint: disable-file\n" + MODEL + NARROW_FF,
        'notes: "one\n  # param-lint: disable-file\n  two"\n' + MODEL + NARROW_FF,
        "notes: 'one\n  # param-lint: disable-file\n  two'\n" + MODEL + NARROW_FF,
    ],
    ids=["double-quoted", "single-quoted", "block-scalar", "multi-line-double-quoted", "multi-line-single-quoted"],
)
def test_directive_text_inside_a_string_is_data(capsys, tmp_path: Path, text: str) -> None:
    assert [code for code, _, _ in lint(capsys, tmp_path, text)] == ["PL303"]


def test_json_has_no_directives(capsys, tmp_path: Path) -> None:
    config = {"_comment": "# param-lint: disable-file", "model": {"n_vocab": 10, "n_context": 4, "n_layer": 1}}
    config["model"].update(d_model=8, n_head=2, d_ff=4)
    assert [code for code, _, _ in lint(capsys, tmp_path, json.dumps(config), "a.json")] == ["PL303"]


def test_exact_directives_still_silence(capsys, tmp_path: Path) -> None:
    assert lint(capsys, tmp_path, "# param-lint: disable-file=PL303\n" + MODEL + NARROW_FF) == []
    assert lint(capsys, tmp_path, MODEL + NARROW_FF.rstrip() + "  # param-lint: disable=PL303\n") == []


def test_a_directive_declares_the_expected_count(capsys, tmp_path: Path) -> None:
    found = lint(capsys, tmp_path, f"# param-lint: expected_params={COUNT + 100} tolerance=0\n" + MODEL + NARROW_FF)
    assert ("PL201", 1, "error") in found


def test_a_directive_count_that_fits_passes(capsys, tmp_path: Path) -> None:
    found = lint(capsys, tmp_path, f"# param-lint: expected_params={COUNT_WIDE_FF} tolerance=0\n" + MODEL)
    assert "PL201" not in [code for code, _, _ in found]


def test_the_files_own_key_wins_over_a_directive(capsys, tmp_path: Path) -> None:
    text = "# param-lint: expected_params=5\n" + MODEL + NARROW_FF + f"expected_params: {COUNT}\ntolerance: 0\n"
    assert "PL201" not in [code for code, _, _ in lint(capsys, tmp_path, text)]


def test_a_directive_wins_over_pyproject(capsys, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.param-lint.files."a.yaml"]\nexpected_params = 5\n')
    (tmp_path / "a.yaml").write_text(f"# param-lint: expected_params={COUNT} tolerance=0\n" + MODEL + NARROW_FF)
    main(["--config", str(tmp_path / "pyproject.toml"), "--format", "json", str(tmp_path / "a.yaml")])
    codes = [d["code"] for f in json.loads(capsys.readouterr().out)["files"] for d in f["diagnostics"]]
    assert "PL201" not in codes


def test_a_bad_value_in_a_directive_is_pl101_at_the_directive(capsys, tmp_path: Path) -> None:
    assert ("PL101", 1, "error") in lint(capsys, tmp_path, "# param-lint: expected_params=lots\n" + MODEL)


def test_fix_rewrites_the_count_in_the_directive(capsys, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("# param-lint: expected_params=5 tolerance=0  # ours\n" + MODEL + NARROW_FF)
    assert main(["--isolated", "--fix", str(path)]) == 0  # PL303, a warning, is still there
    assert path.read_text() == f"# param-lint: expected_params={COUNT:_} tolerance=0  # ours\n" + MODEL + NARROW_FF
    capsys.readouterr()


def test_fix_rewrites_the_count_in_the_pyproject_entry(capsys, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    lines = ["[tool.param-lint]", 'ignore = ["PL303"]', "", '[tool.param-lint.files."a.yaml"]']
    pyproject.write_text("\n".join([*lines, 'expected_params = "1K"  # hand-made', "tolerance = 0", ""]))
    (tmp_path / "a.yaml").write_text(MODEL + NARROW_FF)
    assert main(["--config", str(pyproject), "--fix", str(tmp_path / "a.yaml")]) == 0
    assert f"expected_params = {COUNT:_}  # hand-made\n" in pyproject.read_text()
    assert (tmp_path / "a.yaml").read_text() == MODEL + NARROW_FF
    capsys.readouterr()


def test_fix_diff_shows_the_pyproject_change_and_writes_nothing(capsys, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    text = '[tool.param-lint.files."a.yaml"]\nexpected_params = 7\n'
    pyproject.write_text(text)
    (tmp_path / "a.yaml").write_text(MODEL)
    assert main(["--config", str(pyproject), "--fix", "--diff", str(tmp_path / "a.yaml")]) == 1
    out = capsys.readouterr().out
    assert f"+expected_params = {COUNT_WIDE_FF:_}" in out and pyproject.read_text() == text


def test_fix_refuses_a_count_declared_for_a_glob(capsys, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.param-lint.files."*.yaml"]\nexpected_params = 7\n')
    (tmp_path / "a.yaml").write_text(MODEL)
    assert main(["--config", str(pyproject), "--fix", str(tmp_path / "a.yaml")]) == 2
    assert "glob" in capsys.readouterr().err
