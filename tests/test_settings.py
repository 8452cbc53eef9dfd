"""[tool.param-lint] in pyproject.toml, --config and --isolated: projects in tmp_path, param-lint run inside them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import param_lint

MODEL = "model:\n  n_vocab: 10\n  n_context: 4\n  n_layer: 1\n  d_model: 8\n  n_head: 2\n"  # 1,000 parameters
OFF_BY_5_PERCENT = MODEL + "expected_params: 1050\n"
NARROW_FF = MODEL + "  d_ff: 4\n"  # PL303: d_ff < d_model, a warning
HF = (  # Llama-2-7B: 6,738,415,616 parameters
    '{"model_type": "llama", "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 11008,\n'
    ' "num_hidden_layers": 32, "num_attention_heads": 32}\n'
)


def project(tmp_path: Path, settings: str, **files: str) -> Path:
    """A directory with a pyproject.toml holding `settings` under [tool.param-lint], and `files`."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text(f"[project]\nname = 'demo'\n\n[tool.param-lint]\n{settings}\n")
    for name, text in files.items():
        path = tmp_path / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def codes(run) -> list[str]:
    return [d["code"] for f in json.loads(run.stdout)["files"] for d in f["diagnostics"]]


def linted(run) -> list[str]:
    return [f["path"] for f in json.loads(run.stdout)["files"]]


def test_tolerance_from_pyproject_applies(tmp_path: Path) -> None:
    project(tmp_path, 'tolerance = "10%"', **{"a.yaml": OFF_BY_5_PERCENT})
    assert param_lint("a.yaml", cwd=tmp_path).returncode == 0


def test_without_settings_the_default_tolerance_is_1_percent(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(OFF_BY_5_PERCENT)
    assert codes(param_lint("--format", "json", "a.yaml", cwd=tmp_path)) == ["PL201"]


def test_command_line_tolerance_overrides_pyproject(tmp_path: Path) -> None:
    project(tmp_path, 'tolerance = "10%"', **{"a.yaml": OFF_BY_5_PERCENT})
    assert codes(param_lint("--format", "json", "--tolerance", "1%", "a.yaml", cwd=tmp_path)) == ["PL201"]


def test_select_enables_an_off_by_default_rule(tmp_path: Path) -> None:
    project(tmp_path, 'select = ["PL"]', **{"a.yaml": MODEL})
    assert codes(param_lint("--format", "json", "a.yaml", cwd=tmp_path)) == ["PL202"]


def test_command_line_select_overrides_pyproject(tmp_path: Path) -> None:
    project(tmp_path, 'select = ["PL"]', **{"a.yaml": MODEL})
    assert codes(param_lint("--format", "json", "--select", "PL3", "a.yaml", cwd=tmp_path)) == []


def test_ignore_silences_a_code(tmp_path: Path) -> None:
    project(tmp_path, 'ignore = ["PL303"]', **{"a.yaml": NARROW_FF})
    assert codes(param_lint("--format", "json", "a.yaml", cwd=tmp_path)) == []


def test_command_line_ignore_overrides_pyproject(tmp_path: Path) -> None:
    project(tmp_path, 'ignore = ["PL303"]', **{"a.yaml": NARROW_FF})
    assert codes(param_lint("--format", "json", "--ignore", "PL202", "a.yaml", cwd=tmp_path)) == ["PL303"]


def test_per_file_ignores_apply_to_matching_paths_only(tmp_path: Path) -> None:
    project(
        tmp_path,
        '[tool.param-lint.per-file-ignores]\n"legacy/*.yaml" = ["PL303"]',
        **{"legacy__old.yaml": NARROW_FF, "new.yaml": NARROW_FF},
    )
    run = param_lint("--format", "json", "legacy/old.yaml", "new.yaml", cwd=tmp_path)
    assert [(f["path"], [d["code"] for d in f["diagnostics"]]) for f in json.loads(run.stdout)["files"]] == [
        ("legacy/old.yaml", []),
        ("new.yaml", ["PL303"]),
    ]


def test_include_chooses_what_a_directory_search_picks_up(tmp_path: Path) -> None:
    project(tmp_path, 'include = ["*.yml"]', **{"configs__a.yml": MODEL, "configs__b.yaml": MODEL})
    assert linted(param_lint("--format", "json", "configs", cwd=tmp_path)) == ["configs/a.yml"]


def test_exclude_skips_files_and_directories_in_a_search(tmp_path: Path) -> None:
    files = {"configs__a.yaml": MODEL, "configs__old__b.yaml": MODEL, "configs__c.draft.yaml": MODEL}
    project(tmp_path, 'exclude = ["old", "*.draft.yaml"]', **files)
    assert linted(param_lint("--format", "json", "configs", cwd=tmp_path)) == ["configs/a.yaml"]


def test_per_path_expected_params_checks_a_file_that_declares_none(tmp_path: Path) -> None:
    project(
        tmp_path,
        '[tool.param-lint.files."models/*/config.json"]\nexpected_params = "7B"',
        **{"models__llama__config.json": HF},
    )
    run = param_lint("--format", "json", "models/llama/config.json", cwd=tmp_path)
    [entry] = json.loads(run.stdout)["files"]
    assert entry["expected_params"] == 7_000_000_000 and [d["code"] for d in entry["diagnostics"]] == ["PL201"]


def test_per_path_tolerance_applies_to_matching_paths(tmp_path: Path) -> None:
    settings = '[tool.param-lint.files."models/*/config.json"]\nexpected_params = "7B"\ntolerance = "5%"'
    project(tmp_path, settings, **{"models__llama__config.json": HF})
    assert param_lint("models/llama/config.json", cwd=tmp_path).returncode == 0


def test_the_nearest_pyproject_above_the_working_directory_is_used(tmp_path: Path) -> None:
    project(tmp_path, 'ignore = ["PL303"]', **{"sub__a.yaml": NARROW_FF})
    assert codes(param_lint("--format", "json", "a.yaml", cwd=tmp_path / "sub")) == []


def test_config_points_at_another_settings_file(tmp_path: Path) -> None:
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "strict.toml").write_text('[tool.param-lint]\nselect = ["PL"]\n')
    project(tmp_path, 'ignore = ["PL303"]', **{"a.yaml": NARROW_FF})
    assert codes(param_lint("--format", "json", "--config", "ci/strict.toml", "a.yaml", cwd=tmp_path)) == [
        "PL202",
        "PL303",
    ]


def test_isolated_ignores_pyproject(tmp_path: Path) -> None:
    project(tmp_path, 'ignore = ["PL303"]', **{"a.yaml": NARROW_FF})
    assert codes(param_lint("--format", "json", "--isolated", "a.yaml", cwd=tmp_path)) == ["PL303"]


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ('tolerence = "1%"', "tolerence"),
        ('tolerance = "lots"', "tolerance"),
        ('select = ["PL999"]', "PL999"),
        ("ignore = 3", "ignore"),
        ('max-file-size = "huge"', "max-file-size"),
        ('skip-non-configs = "yes"', "skip-non-configs"),
        ('[tool.param-lint.per-file-ignores]\n"x/*" = ["PL9"]', "x/*"),
        ('[tool.param-lint.files."x.json"]\nexpected_parms = 1', "expected_parms"),
        ('[tool.param-lint.files."x.json"]\nexpected_params = "many"', "files"),
    ],
)
def test_an_invalid_setting_exits_2_naming_the_key(tmp_path: Path, settings: str, named: str) -> None:
    project(tmp_path, settings, **{"a.yaml": MODEL})
    run = param_lint("a.yaml", cwd=tmp_path)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("param-lint: error: ") and named in run.stderr and "Traceback" not in run.stderr


def test_invalid_toml_exits_2_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.param-lint]\ntolerance = \n")
    run = param_lint("a.yaml", cwd=tmp_path)
    assert run.returncode == 2 and "pyproject.toml: invalid TOML" in run.stderr


def test_a_missing_config_file_exits_2(tmp_path: Path) -> None:
    run = param_lint("--config", "nowhere.toml", "a.yaml", cwd=tmp_path)
    assert run.returncode == 2 and "nowhere.toml" in run.stderr and "Traceback" not in run.stderr


# Settings are found from each file's location, as ruff finds them.


def test_settings_come_from_the_files_location_not_the_working_directory(tmp_path: Path) -> None:
    project(tmp_path / "repo", 'ignore = ["PL303"]', **{"configs__a.yaml": NARROW_FF})
    (tmp_path / "elsewhere").mkdir()
    run = param_lint("--format", "json", str(tmp_path / "repo" / "configs" / "a.yaml"), cwd=tmp_path / "elsewhere")
    assert codes(run) == []


def test_each_file_gets_its_own_projects_settings(tmp_path: Path) -> None:
    project(tmp_path / "quiet", 'ignore = ["PL303"]', **{"a.yaml": NARROW_FF})
    project(tmp_path / "strict", 'select = ["PL"]', **{"a.yaml": NARROW_FF})
    run = param_lint("--format", "json", "quiet/a.yaml", "strict/a.yaml", cwd=tmp_path)
    by_file = {f["path"]: [d["code"] for d in f["diagnostics"]] for f in json.loads(run.stdout)["files"]}
    assert by_file == {"quiet/a.yaml": [], "strict/a.yaml": ["PL202", "PL303"]}


def test_a_pyproject_that_merely_mentions_param_lint_does_not_hide_the_real_settings(tmp_path: Path) -> None:
    project(tmp_path, 'ignore = ["PL303"]')
    sub = tmp_path / "package"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["param-lint>=0.1"]\n')
    (sub / "a.yaml").write_text(NARROW_FF)
    assert codes(param_lint("--format", "json", "a.yaml", cwd=sub)) == []


def test_tool_as_a_string_is_a_setting_error_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('tool = "param-lint"\n')
    (tmp_path / "a.yaml").write_text(MODEL)
    run = param_lint("a.yaml", cwd=tmp_path)
    assert run.returncode == 2 and "pyproject.toml: `tool` must be a table" in run.stderr
    assert "internal error" not in run.stderr


def test_settings_do_not_import_the_loader_or_the_rules() -> None:
    import subprocess
    import sys

    from tests.test_cli import ROOT

    script = "import sys, param_lint.settings; print(sorted(m for m in sys.modules if m.startswith('param_lint')))"
    run = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "param_lint.load" not in run.stdout and "param_lint.rules" not in run.stdout


def test_the_default_max_file_size_is_the_loaders() -> None:
    from param_lint.load import DEFAULT_MAX_BYTES
    from param_lint.settings import Settings

    assert Settings().max_file_size == DEFAULT_MAX_BYTES
