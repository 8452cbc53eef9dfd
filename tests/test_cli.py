"""The command line, run as users run it: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def param_lint(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`param-lint ARGS` run in `cwd` (this checkout's package, installed or not), as a user runs it."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}  # a test chooses the format
    environment.update(env or {})
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "param_lint", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_examples_pass() -> None:
    paths = sorted(str(p) for p in EXAMPLES.glob("*.yaml")) + sorted(str(p) for p in EXAMPLES.glob("*.json"))
    run = param_lint(*paths)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "All checks passed" in run.stdout


def test_broken_examples_fail_with_pl301_at_the_wo_line() -> None:
    run = param_lint("examples/broken/")
    assert run.returncode == 1
    assert "examples/broken/article-wo-shape.yaml:15:3: PL301 W_O is (12288, 128)" in run.stdout


def test_text_findings_are_path_line_column_code_message() -> None:
    run = param_lint("examples/broken/gpt3-without-biases-and-norms.yaml")
    first = run.stdout.splitlines()[0]
    assert first.startswith("examples/broken/gpt3-without-biases-and-norms.yaml:10:1: PL201 ")


def test_json_output_follows_the_contract() -> None:
    run = param_lint("--format", "json", "examples/broken/article-wo-shape.yaml")
    assert run.returncode == 1
    document = json.loads(run.stdout)
    [entry] = document["files"]
    assert entry["params"] == 174_594_797_568
    assert entry["expected_params"] == 160_250_277_888
    codes = [d["code"] for d in entry["diagnostics"]]
    assert codes == ["PL201", "PL301"]
    pl201 = entry["diagnostics"][0]
    assert pl201["severity"] == "error" and pl201["line"] == 13 and pl201["column"] == 1
    assert [e["id"] for e in pl201["explanations"]] == ["wo_shape"]
    assert document["summary"] == {"files": 1, "errors": 2, "warnings": 0}


def test_json_reports_active_params_for_mixture_of_experts() -> None:
    entry = json.loads(param_lint("--format", "json", "examples/mixtral-8x7b.yaml").stdout)["files"][0]
    assert entry["params"] == 46_702_792_704 and entry["active_params"] == 12_879_925_248


def test_breakdown_lays_out_the_article_sum() -> None:
    run = param_lint("--breakdown", "examples/article-gpt3-175b.yaml")
    assert run.returncode == 0
    for figure in ("642,723,840", "603,979,776", "1,208,020,992", "173,952,073,728", "174,594,797,568"):
        assert figure in run.stdout


def test_warnings_alone_exit_zero() -> None:
    run = param_lint("tests/rules/PL303/swapped-d-ff.yaml")
    assert run.returncode == 0 and "PL303" in run.stdout


def test_unreadable_path_is_a_finding_not_a_crash() -> None:
    run = param_lint("does-not-exist.yaml")
    assert run.returncode == 1 and "PL001" in run.stdout and "Traceback" not in run.stderr


def test_no_file_matched_exits_2() -> None:
    run = param_lint("'nothing/*.yaml'".strip("'"))
    assert run.returncode == 2 and "no files matched" in run.stderr


def test_bad_option_exits_2() -> None:
    run = param_lint("--format", "xml", "examples/")
    assert run.returncode == 2


def test_unknown_rule_code_in_select_exits_2() -> None:
    run = param_lint("--select", "PL999", "examples/gpt3-175b.yaml")
    assert run.returncode == 2 and "PL999" in run.stderr


def test_select_enables_a_rule_that_is_off_by_default() -> None:
    run = param_lint("--select", "PL202", "tests/rules/PL202/no-expected-params.yaml")
    assert run.returncode == 1 and "PL202" in run.stdout


def test_ignore_silences_a_rule() -> None:
    run = param_lint("--ignore", "PL301,PL201", "examples/broken/article-wo-shape.yaml")
    assert run.returncode == 0


def test_command_line_tolerance_applies_when_the_file_has_none() -> None:
    assert (
        param_lint("--tolerance", "10%", "examples/broken/article-wo-shape.yaml", "--ignore", "PL301").returncode == 0
    )


def test_a_files_own_tolerance_wins_over_the_command_line() -> None:
    run = param_lint("--tolerance", "5%", "examples/broken/gpt3-without-biases-and-norms.yaml")
    assert run.returncode == 1


def test_rules_lists_every_code() -> None:
    run = param_lint("rules")
    assert run.returncode == 0
    for code in ("PL001", "PL002", "PL003", "PL101", "PL201", "PL202", "PL301", "PL302", "PL303"):
        assert code in run.stdout


def test_rules_explains_one_code_from_its_docstring() -> None:
    run = param_lint("rules", "PL301")
    assert run.returncode == 0 and "(n_head*d_head, d_model)" in run.stdout


def test_directory_search_finds_yaml_and_json(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("model: {n_vocab: 10, n_context: 4, n_layer: 1, d_model: 8, n_head: 2}\n")
    (tmp_path / "b.json").write_text(
        '{"model": {"n_vocab": 10, "n_context": 4, "n_layer": 1, "d_model": 8, "n_head": 2}}'
    )
    (tmp_path / "notes.txt").write_text("not a config")
    run = param_lint("--format", "json", str(tmp_path))
    assert [Path(f["path"]).name for f in json.loads(run.stdout)["files"]] == ["a.yaml", "b.json"]


def test_skip_non_configs_passes_over_a_github_workflow(tmp_path: Path) -> None:
    workflow = tmp_path / "ci.yml"
    workflow.write_text("on: push\njobs:\n  test: {runs-on: ubuntu-latest, steps: []}\n")
    run = param_lint("--skip-non-configs", str(workflow))
    assert (run.returncode, run.stdout) == (0, "All checks passed (0 files).\n")


def test_worker_processes_give_the_same_report_in_the_same_order() -> None:
    one = param_lint("--format", "json", "--jobs", "1", "examples/", "tests/hf/configs/")
    two = param_lint("--format", "json", "--jobs", "2", "examples/", "tests/hf/configs/")
    assert one.returncode == two.returncode == 1
    assert json.loads(two.stdout) == json.loads(one.stdout)


def test_jobs_must_be_a_count_of_processes() -> None:
    assert param_lint("--jobs", "many", "examples/").returncode == 2


def test_breakdown_works_on_hugging_face_configs() -> None:
    run = param_lint("--breakdown", "tests/hf/configs/mixtral/mixtral-8x7b-v0.1.json")
    assert run.returncode == 0
    assert "46,702,792,704" in run.stdout and "active per token" in run.stdout and "12,879,925,248" in run.stdout
