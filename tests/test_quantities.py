"""Sizes and tolerances as users write them: exact, linear-time, ASCII digits only."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from param_lint.quantities import QuantityError, parse_count, parse_tolerance
from tests.test_cli import param_lint

TINY = "model:\n  n_vocab: 10\n  n_context: 4\n  n_layer: 1\n  d_model: 8\n  n_head: 2\n"  # 1,000 parameters
SPACES = " " * 20_000  # quadratic parsing took seconds on this; linear takes microseconds


@pytest.mark.parametrize("parse", [parse_count, parse_tolerance])
def test_a_long_run_of_spaces_is_refused_in_linear_time(parse) -> None:
    start = time.perf_counter()
    with pytest.raises(QuantityError):
        parse("1" + SPACES + "x")
    assert time.perf_counter() - start < 0.2


def test_a_long_value_in_a_config_is_refused_in_linear_time(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(TINY + f'expected_params: "1{SPACES}x"\n')
    start = time.perf_counter()
    run = param_lint("--isolated", "a.yaml", cwd=tmp_path)
    assert run.returncode == 1 and "PL101" in run.stdout
    assert time.perf_counter() - start < 1.0


def test_a_long_tolerance_on_the_command_line_is_refused_in_linear_time(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(TINY)
    start = time.perf_counter()
    run = param_lint("--isolated", "--tolerance", "1" + SPACES + "x", "a.yaml", cwd=tmp_path)
    assert run.returncode == 2 and len(run.stderr) < 300
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("text", "value"), [("7b", 7 * 10**9), ("7B", 7 * 10**9), ("125m", 125 * 10**6), ("1.2t", 1.2e12)]
)
def test_suffixes_are_read_in_either_case(text: str, value: float) -> None:
    assert parse_count(text) == int(value)


def test_lowercase_suffixes_pass_the_schema_too(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(TINY + "expected_params: 2k\ntolerance: 1b\n")
    assert param_lint("--isolated", "a.yaml", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("text", ["７B", "٧B", "1٠0"])
def test_non_ascii_digits_are_not_a_count(text: str) -> None:
    with pytest.raises(QuantityError):
        parse_count(text)


def test_non_ascii_digits_in_a_config_are_a_schema_finding(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(TINY + "expected_params: ７B\n", encoding="utf-8")
    run = param_lint("--isolated", "a.yaml", cwd=tmp_path)
    assert run.returncode == 1 and "PL101" in run.stdout


def test_a_huge_size_is_called_too_large_not_fractional() -> None:
    with pytest.raises(QuantityError, match="too large"):
        parse_count("1e30B")


def test_a_31_digit_count_is_exact() -> None:
    assert parse_count("1234567890123456789012345678901") == 1234567890123456789012345678901


@pytest.mark.parametrize("size", ["1T", "1e30", "2G"])
def test_an_absurd_max_file_size_is_a_setting_error(tmp_path: Path, size: str) -> None:
    (tmp_path / "a.yaml").write_text(TINY)
    run = param_lint("--isolated", "--max-file-size", size, "a.yaml", cwd=tmp_path)
    assert run.returncode == 2 and "--max-file-size" in run.stderr and "internal error" not in run.stderr


def test_an_absurd_max_file_size_in_pyproject_is_a_setting_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.param-lint]\nmax-file-size = "1T"\n')
    (tmp_path / "a.yaml").write_text(TINY)
    run = param_lint("a.yaml", cwd=tmp_path)
    assert run.returncode == 2 and "max-file-size" in run.stderr and "internal error" not in run.stderr
