"""How many processes lint a run: never more than files or CPUs, one on a busy machine."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from param_lint import pipeline

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cpus(monkeypatch: pytest.MonkeyPatch):
    def set_cpus(total: int, idle: int) -> None:
        monkeypatch.setattr(pipeline, "_cpus", lambda: total)
        monkeypatch.setattr(pipeline, "_idle_cpus", lambda _total: idle)

    return set_cpus


def test_a_few_files_stay_in_one_process(cpus) -> None:
    cpus(8, 8)
    assert pipeline.workers(pipeline.PARALLEL_FROM - 1) == 1


def test_many_files_use_the_idle_cpus(cpus) -> None:
    cpus(8, 3)
    assert pipeline.workers(1000) == 3


def test_a_busy_machine_gets_one_process(cpus) -> None:
    cpus(2, 1)
    assert pipeline.workers(10_000) == 1
    cpus(2, -5)  # more runnable programs than CPUs
    assert pipeline.workers(10_000) == 1


def test_jobs_never_exceeds_the_cpus_or_the_files(cpus) -> None:
    cpus(4, 4)
    assert pipeline.workers(1000, jobs=10_000) == 4
    assert pipeline.workers(3, jobs=8) == 3
    assert pipeline.workers(1000, jobs=1) == 1


def test_the_idle_cpus_are_counted_without_this_process() -> None:
    assert pipeline._idle_cpus(pipeline._cpus()) <= pipeline._cpus()


def test_one_process_keeps_summaries_unless_details_are_asked_for() -> None:
    paths = [str(ROOT / "examples" / "llama-2-7b.yaml")]
    summary = pipeline.lint_paths(paths, jobs=1)[0]
    assert summary.breakdown is None and summary.config is None and not summary.declared
    assert pipeline.lint_paths(paths, jobs=1, details=True)[0].breakdown is not None


def test_the_pre_commit_hook_runs_one_process_for_all_its_files() -> None:
    """pre-commit would otherwise start one param-lint per CPU, each paying start-up, on a busy machine too."""
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["require_serial"] is True
