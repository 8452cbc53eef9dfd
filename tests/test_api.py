"""The Python API: `param_lint.count(path_or_mapping)` and `param_lint.lint(paths)`, typed and as data."""

from __future__ import annotations

import importlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

import param_lint
from param_lint.findings import Finding
from tests.test_cli import EXAMPLES, ROOT


@pytest.fixture(autouse=True)
def in_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples are named relative to it, as users would


GPT3 = {"model": {"n_vocab": 50257, "n_context": 2048, "n_layer": 96, "d_model": 12288, "n_head": 96}}


def test_count_of_a_path_is_the_exact_total() -> None:
    assert param_lint.count(str(EXAMPLES / "gpt3-175b.yaml")).total == 174_604_259_328


def test_count_accepts_a_pathlib_path() -> None:
    assert param_lint.count(EXAMPLES / "llama-2-7b.yaml").total == 6_738_415_616


def test_count_of_a_mapping_needs_no_file() -> None:
    assert param_lint.count(GPT3).total == 174_604_259_328


def test_count_of_a_hugging_face_mapping() -> None:
    config = json.loads((EXAMPLES / "hf-llama-2-7b.json").read_text())
    assert param_lint.count(config).total == 6_738_415_616


def test_active_is_the_total_for_a_dense_model() -> None:
    breakdown = param_lint.count(GPT3)
    assert breakdown.active == breakdown.total


def test_active_counts_the_experts_a_token_uses() -> None:
    breakdown = param_lint.count(EXAMPLES / "mixtral-8x7b.yaml")
    assert (breakdown.total, breakdown.active) == (46_702_792_704, 12_879_925_248)


def test_the_breakdown_has_sections_of_named_terms_that_sum_to_the_total() -> None:
    breakdown = param_lint.count(GPT3)
    assert [s.name for s in breakdown.sections][:2] == ["embeddings", "layer"]
    assert sum(section.total for section in breakdown.sections) == breakdown.total
    assert [term.shape for term in breakdown.terms("W_O")] == [(12288, 12288)]


def test_count_of_an_uncountable_mapping_raises_count_error_with_findings() -> None:
    with pytest.raises(param_lint.CountError) as raised:
        param_lint.count({"model": {"n_layer": 2, "n_head": 2}})
    assert {f.code for f in raised.value.findings} == {"PL101"}
    assert "d_model" in str(raised.value)


def test_count_of_an_unparsable_file_raises_count_error_with_the_position(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("model:\n  n_layer: [2\n")
    with pytest.raises(param_lint.CountError) as raised:
        param_lint.count(config)
    [finding] = raised.value.findings
    assert finding.code == "PL001" and finding.line >= 2


def test_lint_returns_findings_as_data() -> None:
    [pl201, pl301] = param_lint.lint(["examples/broken/article-wo-shape.yaml"])
    assert isinstance(pl301, Finding)
    assert (pl301.path, pl301.line, pl301.column, pl301.code, pl301.severity) == (
        "examples/broken/article-wo-shape.yaml",
        15,
        3,
        "PL301",
        "error",
    )
    assert [e.id for e in pl201.explanations] == ["wo_shape"]


def test_lint_of_good_configs_is_empty() -> None:
    assert param_lint.lint([EXAMPLES / "gpt3-175b.yaml", EXAMPLES / "hf-llama-2-7b.json"]) == []


def test_lint_accepts_one_path() -> None:
    path = "examples/broken/article-wo-shape.yaml"
    assert param_lint.lint(path) == param_lint.lint([path])


def test_lint_searches_a_directory() -> None:
    files = sorted(str(p.relative_to(ROOT)) for p in (EXAMPLES / "broken").glob("*.yaml"))
    assert param_lint.lint("examples/broken") == param_lint.lint(files)


def test_lint_takes_the_pyproject_settings_as_keywords() -> None:
    path = "tests/rules/PL202/no-expected-params.yaml"
    assert [f.code for f in param_lint.lint([path])] == []
    assert [f.code for f in param_lint.lint([path], select=["PL202"])] == ["PL202"]
    assert param_lint.lint(["examples/broken/article-wo-shape.yaml"], tolerance="10%", ignore=["PL301"]) == []


def test_lint_with_an_invalid_setting_raises_settings_error_naming_it() -> None:
    with pytest.raises(param_lint.SettingsError, match="tolerance"):
        param_lint.lint(["examples/"], tolerance="lots")


@pytest.mark.parametrize("name", ["count", "lint"])
def test_no_submodule_shadows_an_api_function(name: str) -> None:
    """Importing a submodule sets a package attribute: one named like the API would replace it."""
    assert importlib.util.find_spec(f"param_lint.{name}") is None
    assert getattr(param_lint, name).__module__ == "param_lint"


def test_the_package_ships_py_typed() -> None:
    tomllib = importlib.import_module("tomllib" if sys.version_info >= (3, 11) else "tomli")
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"]["param_lint"]
    assert (ROOT / "param_lint" / "py.typed").is_file()


def test_the_api_count_keeps_working_after_its_first_call() -> None:
    """The API functions stay the package's attributes however many modules a call imports."""
    import param_lint

    first = param_lint.count("examples/gpt3-175b.yaml").total
    assert (
        param_lint.count({"model": {"n_vocab": 10, "n_layer": 1, "d_model": 4, "n_head": 1, "n_context": 2}}).total > 0
    )
    assert param_lint.count("examples/gpt3-175b.yaml").total == first == 174_604_259_328


def test_lint_reports_a_directory_it_cannot_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    (tmp_path / "locked").mkdir()
    real = os.scandir

    def scandir(path="."):  # type: ignore[no-untyped-def]
        if os.path.basename(os.fspath(path)) == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    [finding] = param_lint.lint(tmp_path)
    assert (finding.path, finding.code) == (str(tmp_path / "locked"), "PL001")
    assert "Permission denied" in finding.message
