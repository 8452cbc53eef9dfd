"""The command line: `main(argv)` in-process, as users run it, and a few real subprocesses (smoke tests)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from param_lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@dataclass
class Run:
    """What one `param-lint` run did: its exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str


def param_lint(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None, stdin: bytes = b"") -> Run:
    """`param-lint ARGS` run in `cwd`, in this process: `main(argv)` with its own standard streams.

    stdout is strict UTF-8 like a real one (a path that cannot be encoded fails here as it would
    for a user), stderr replaces what it cannot encode, as Python's does.
    """
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", newline="")
    stdin_stream = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    with _environment(env), _working_directory(cwd), _streams(stdin_stream, stdout, stderr):
        status = main(list(args))
    return Run(status, _text(stdout), _text(stderr))


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8", "surrogateescape")  # type: ignore[attr-defined]


@contextmanager
def _streams(stdin: io.TextIOWrapper, stdout: io.TextIOWrapper, stderr: io.TextIOWrapper) -> Iterator[None]:
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


@contextmanager
def _working_directory(directory: Path) -> Iterator[None]:
    saved = os.getcwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(saved)


@contextmanager
def _environment(env: dict[str, str] | None) -> Iterator[None]:
    """GITHUB_ACTIONS unset (a test chooses the format), then `env` on top; restored afterwards."""
    saved = dict(os.environ)
    os.environ.pop("GITHUB_ACTIONS", None)
    os.environ.update(env or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def param_lint_process(*args: str, cwd: Path = ROOT, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m param_lint ARGS` in a real child process: for the few smoke tests of the entry point."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "param_lint", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_python_m_param_lint_runs_the_command_line() -> None:
    run = param_lint_process("examples/broken/article-wo-shape.yaml")
    assert run.returncode == 1 and "15:3: PL301" in run.stdout and run.stderr == ""


def test_the_entry_point_exits_2_on_a_bad_option() -> None:
    run = param_lint_process("--format", "xml", "examples/")
    assert run.returncode == 2 and "Traceback" not in run.stderr


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
    one = param_lint_process("--format", "json", "--jobs", "1", "examples/", "tests/hf/configs/")
    two = param_lint_process("--format", "json", "--jobs", "2", "examples/", "tests/hf/configs/")
    assert one.returncode == two.returncode == 1
    assert json.loads(two.stdout) == json.loads(one.stdout)


def test_jobs_must_be_a_count_of_processes() -> None:
    assert param_lint("--jobs", "many", "examples/").returncode == 2


def test_breakdown_works_on_hugging_face_configs() -> None:
    run = param_lint("--breakdown", "tests/hf/configs/mixtral/mixtral-8x7b-v0.1.json")
    assert run.returncode == 0
    assert "46,702,792,704" in run.stdout and "active per token" in run.stdout and "12,879,925,248" in run.stdout


TINY = "model:\n  n_vocab: 10\n  n_context: 4\n  n_layer: 1\n  d_model: 8\n  n_head: 2\n"  # 1,000 parameters


@pytest.fixture
def asked_jobs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of workers the command line asks the pipeline for (the files are linted in-process)."""
    from param_lint import pipeline

    asked: list[int] = []
    real = pipeline.lint_paths

    def lint_paths(paths, settings, jobs=0, details=False):  # type: ignore[no-untyped-def]
        asked.append(jobs)
        return real(paths, settings, 1, details)

    monkeypatch.setattr(pipeline, "lint_paths", lint_paths)
    return asked


def test_an_absurd_number_of_jobs_is_a_setting_error(asked_jobs: list[int]) -> None:
    run = param_lint("--jobs", "100000", "examples/")
    assert run.returncode == 2 and "--jobs: at most" in run.stderr and asked_jobs == []


def test_jobs_are_capped_at_the_cpus_and_the_files(asked_jobs: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    asked = asked_jobs
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert param_lint("--jobs", "200", "examples/gpt3-175b.yaml", "examples/llama-2-7b.yaml").returncode == 0
    assert asked == [2]


@pytest.mark.parametrize("format", ["text", "json", "github", "sarif"])
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(tmp_path: Path, format: str) -> None:
    name = os.fsdecode(b"caf\xe9.yaml")  # Latin-1 on a UTF-8 system: lone surrogates in Python
    (tmp_path / name).write_text("model: {n_layer: 1, d_model: 8}\n")
    run = param_lint("--isolated", "--format", format, name, cwd=tmp_path)
    assert run.returncode == 1 and "internal error" not in run.stderr
    if format == "json":
        assert json.loads(run.stdout)["files"][0]["path"] == "caf\\xe9.yaml"
    else:
        assert ("caf%E9.yaml" if format == "sarif" else "caf\\xe9.yaml") in run.stdout


def test_dash_reads_standard_input() -> None:
    run = param_lint("--isolated", "-", stdin=TINY.encode())
    assert (run.returncode, run.stdout) == (0, "All checks passed (1 file).\n")


def test_stdin_filename_names_the_input_and_chooses_its_format() -> None:
    run = param_lint(
        "--isolated", "--stdin-filename", "configs/x.json", "-", stdin=b'{"model": {"n_layer": 1, "d_model": 8}}'
    )
    assert run.returncode == 1 and run.stdout.startswith("configs/x.json:1:")


def test_stdin_filename_chooses_the_settings(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.param-lint]\nignore = ["PL101"]\n')
    run = param_lint("--stdin-filename", str(tmp_path / "x.yaml"), "-", stdin=b"model: {n_layer: 1, d_model: 8}\n")
    assert run.returncode == 0


@pytest.mark.parametrize("options", [["--fix"], ["--fix", "--diff"]])
def test_fix_refuses_standard_input(options: list[str]) -> None:
    run = param_lint("--isolated", *options, "-", stdin=TINY.encode())
    assert run.returncode == 2 and "standard input" in run.stderr


def test_every_format_in_the_registry_renders() -> None:
    from param_lint.report import FORMATS, reporter_for

    assert set(FORMATS) == set(build_parser_choices())
    for name in FORMATS:
        assert reporter_for(name).render([]).strip()


def build_parser_choices() -> list[str]:
    from param_lint.cli import build_parser

    [action] = [a for a in build_parser()._actions if "--format" in a.option_strings]
    return list(action.choices or [])


CTRL_C_WITH_WORKERS = """
import os, sys, time
import param_lint.pipeline as pipeline
def slow(path, settings):
    open(os.path.join(sys.argv[1], f"started-{os.getpid()}"), "w").close()
    time.sleep(30)
pipeline.lint_file = slow
import pytest

from param_lint.cli import main
sys.exit(main(["--isolated", "--jobs", "2", *sys.argv[2:]]))
"""


def test_ctrl_c_with_workers_exits_130_without_a_traceback_per_worker(tmp_path: Path) -> None:
    import signal
    import time

    if (os.cpu_count() or 1) < 2:
        pytest.skip("needs two CPUs for two workers")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    files = ["examples/gpt3-175b.yaml", "examples/llama-2-7b.yaml"]
    child = subprocess.Popen(
        [sys.executable, "-c", CTRL_C_WITH_WORKERS, str(tmp_path), *files],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("started-*"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # the workers are asleep in the task
    os.killpg(child.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    stdout, stderr = child.communicate(timeout=30)
    assert child.returncode == 130 and "Traceback" not in stderr, stderr
