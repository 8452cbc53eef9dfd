"""--fix writes the computed count into expected_params, surgically and atomically; --diff only shows it."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from param_lint.cli import main
from param_lint.fix import fix_file
from tests.test_cli import EXAMPLES, param_lint

GPT3_COUNT = 174_604_259_328
TINY = "model:\n  n_vocab: 10\n  n_context: 4\n  n_layer: 1\n  d_model: 8\n  n_head: 2\n"
TINY_COUNT = 1_000  # see `param-lint --breakdown` on TINY


def copy_example(name: str, directory: Path) -> Path:
    target = directory / Path(name).name
    shutil.copy(EXAMPLES / name, target)
    return target


def test_fix_replaces_a_wrong_count_and_leaves_every_other_byte(tmp_path: Path) -> None:
    config = copy_example("broken/gpt3-without-biases-and-norms.yaml", tmp_path)
    before = config.read_text()
    run = param_lint("--fix", config.name, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert config.read_text() == before.replace("expected_params: 174_594_797_568", f"expected_params: {GPT3_COUNT:_}")


def test_findings_after_fix_describe_the_fixed_file(tmp_path: Path) -> None:
    config = copy_example("broken/gpt3-without-biases-and-norms.yaml", tmp_path)
    run = param_lint("--fix", "--format", "json", config.name, cwd=tmp_path)
    [entry] = json.loads(run.stdout)["files"]
    assert entry["expected_params"] == entry["params"] == GPT3_COUNT
    assert entry["diagnostics"] == []


def test_fix_says_what_it_changed_on_stderr(tmp_path: Path) -> None:
    config = copy_example("broken/gpt3-without-biases-and-norms.yaml", tmp_path)
    run = param_lint("--fix", config.name, cwd=tmp_path)
    assert run.stderr == f"{config.name}: fixed expected_params: {GPT3_COUNT:_}\n"


def test_fix_adds_a_missing_count_after_the_model_block_keeping_comments(tmp_path: Path) -> None:
    config = tmp_path / "tiny.yaml"
    config.write_text("# tiny\n" + TINY + "  # last model line\n\n# training follows\noptimizer: adam  # keep\n")
    param_lint("--fix", config.name, cwd=tmp_path)
    assert config.read_text() == (
        "# tiny\n" + TINY + "  # last model line\n"
        f"expected_params: {TINY_COUNT:_}\n"
        "\n# training follows\noptimizer: adam  # keep\n"
    )


def test_fix_adds_a_count_to_a_file_without_a_final_newline(tmp_path: Path) -> None:
    config = tmp_path / "tiny.yaml"
    config.write_text(TINY.rstrip("\n"))
    param_lint("--fix", config.name, cwd=tmp_path)
    assert config.read_text() == TINY + f"expected_params: {TINY_COUNT:_}\n"


def test_fix_keeps_windows_line_endings(tmp_path: Path) -> None:
    config = tmp_path / "tiny.yaml"
    config.write_bytes(TINY.replace("\n", "\r\n").encode())
    param_lint("--fix", config.name, cwd=tmp_path)
    assert config.read_bytes() == (TINY + f"expected_params: {TINY_COUNT:_}\n").replace("\n", "\r\n").encode()


def test_fix_adds_a_member_to_a_hugging_face_config_json_in_its_indentation(tmp_path: Path) -> None:
    data = json.loads((EXAMPLES / "hf-llama-2-7b.json").read_text())
    del data["expected_params"]
    config = tmp_path / "config.json"
    config.write_text(json.dumps(data, indent=4) + "\n")
    param_lint("--fix", config.name, cwd=tmp_path)
    text = config.read_text()
    assert text.endswith('    "vocab_size": 32000,\n    "expected_params": 6738415616\n}\n')
    assert json.loads(text) == {**data, "expected_params": 6_738_415_616}


def test_fix_adds_a_member_to_one_line_json(tmp_path: Path) -> None:
    config = tmp_path / "tiny.json"
    config.write_text('{"model": {"n_vocab": 10, "n_context": 4, "n_layer": 1, "d_model": 8, "n_head": 2}}')
    param_lint("--fix", config.name, cwd=tmp_path)
    assert config.read_text().endswith(f'"n_head": 2}}, "expected_params": {TINY_COUNT}}}')


def test_fix_writes_a_plain_integer_over_a_json_size_string(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text((EXAMPLES / "hf-llama-2-7b.json").read_text().replace('"6.74B"', '"6.5B"'))
    param_lint("--fix", config.name, cwd=tmp_path)
    assert '"expected_params": 6738415616\n' in config.read_text()


def test_fix_replaces_a_wrong_active_count_of_a_mixture_of_experts(tmp_path: Path) -> None:
    config = copy_example("mixtral-8x7b.yaml", tmp_path)
    config.write_text(config.read_text().replace("expected_active_params: 12.9B", "expected_active_params: 46.7B"))
    param_lint("--fix", config.name, cwd=tmp_path)
    assert config.read_text().endswith("expected_params: 46.7B\nexpected_active_params: 12_879_925_248\n")


def test_fix_never_adds_an_active_count(tmp_path: Path) -> None:
    config = copy_example("broken/mixtral-active-as-total.yaml", tmp_path)
    param_lint("--fix", config.name, cwd=tmp_path)
    assert "expected_active_params" not in config.read_text()


def test_fix_leaves_a_count_within_the_tolerance_as_written(tmp_path: Path) -> None:
    config = copy_example("gpt3-175b.yaml", tmp_path)
    before = config.read_bytes()
    param_lint("--fix", config.name, cwd=tmp_path)
    assert config.read_bytes() == before


def test_fix_does_not_add_a_count_declared_in_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.param-lint.files."tiny.yaml"]\nexpected_params = 1000\n')
    config = tmp_path / "tiny.yaml"
    config.write_text(TINY)
    param_lint("--fix", config.name, cwd=tmp_path)
    assert config.read_text() == TINY


@pytest.mark.parametrize("text", ["model: [unclosed\n", 'model: !!python/object/apply:os.system ["echo hi"]\n'])
def test_fix_leaves_unreadable_and_unsafe_files_alone(tmp_path: Path, text: str) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text(text)
    run = param_lint("--fix", config.name, cwd=tmp_path)
    assert run.returncode == 1 and config.read_text() == text


def test_an_edit_that_would_not_read_back_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "anchored.yaml"
    text = TINY + "expected_params: &count 1M\nnote: *count\n"
    config.write_text(text)
    run = param_lint("--fix", config.name, cwd=tmp_path)
    assert run.returncode == 2 and "cannot fix anchored.yaml" in run.stderr and "Traceback" not in run.stderr
    assert config.read_text() == text


def test_fix_keeps_the_file_mode(tmp_path: Path) -> None:
    config = copy_example("broken/gpt3-without-biases-and-norms.yaml", tmp_path)
    config.chmod(0o640)
    param_lint("--fix", config.name, cwd=tmp_path)
    assert stat.S_IMODE(config.stat().st_mode) == 0o640


def test_fix_through_a_symlink_changes_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = copy_example("broken/gpt3-without-biases-and-norms.yaml", tmp_path)
    link = tmp_path / "link.yaml"
    link.symlink_to(target.name)
    param_lint("--fix", link.name, cwd=tmp_path)
    assert link.is_symlink() and f"expected_params: {GPT3_COUNT:_}" in target.read_text()


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    config = copy_example("broken/gpt3-without-biases-and-norms.yaml", tmp_path)
    before = config.read_bytes()
    run = param_lint("--fix", "--diff", config.name, cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.startswith(f"--- {config.name}\n+++ {config.name}\n@@ ")
    assert "\n-expected_params: 174_594_797_568\n+expected_params: 174_604_259_328\n" in run.stdout
    assert config.read_bytes() == before and sorted(tmp_path.iterdir()) == [config]


def test_diff_exits_zero_when_nothing_would_change() -> None:
    run = param_lint("--fix", "--diff", "examples/gpt3-175b.yaml")
    assert (run.returncode, run.stdout) == (0, "")


def test_diff_without_fix_is_a_usage_error() -> None:
    run = param_lint("--diff", "examples/gpt3-175b.yaml")
    assert run.returncode == 2 and "--diff goes with --fix" in run.stderr


@pytest.mark.parametrize("format", ["text", "json", "github", "sarif"])
def test_without_fix_nothing_is_ever_written(tmp_path: Path, format: str) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    before = snapshot(tmp_path)
    param_lint("--format", format, "--select", "PL", "examples", cwd=tmp_path)
    assert snapshot(tmp_path) == before


def snapshot(directory: Path) -> dict[Path, tuple[bytes, int]]:
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in directory.rglob("*") if p.is_file()}


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_a_failed_write_leaves_the_original_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    config = copy_example("broken/gpt3-without-biases-and-norms.yaml", tmp_path)
    before = config.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    fix = fix_file(str(config))
    assert fix.error == f"cannot fix {config}: No space left on device"
    assert config.read_bytes() == before and sorted(tmp_path.iterdir()) == [config]


def test_a_failed_write_exits_2_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = copy_example("broken/gpt3-without-biases-and-norms.yaml", tmp_path)

    def fail(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", fail)
    assert main(["--fix", str(config)]) == 2
    assert f"param-lint: error: cannot fix {config}: Permission denied" in capsys.readouterr().err


def test_the_diff_applies_with_git_apply_and_gives_what_fix_writes(tmp_path: Path) -> None:
    import subprocess

    for name in ("diffed", "fixed"):
        shutil.copytree(EXAMPLES / "broken", tmp_path / name / "broken")
    diff = param_lint("--fix", "--diff", "broken", cwd=tmp_path / "diffed").stdout
    subprocess.run(["git", "apply", "-p0", "-"], input=diff, text=True, cwd=tmp_path / "diffed", check=True)
    param_lint("--fix", "broken", cwd=tmp_path / "fixed")
    assert snapshot_text(tmp_path / "diffed") == snapshot_text(tmp_path / "fixed") != snapshot_text(EXAMPLES)


def snapshot_text(directory: Path) -> dict[str, str]:
    """The broken examples' text, by name, under `directory`."""
    return {p.name: p.read_text() for p in sorted(directory.rglob("broken/*.yaml"))}


# Writing in place: the file stays the same file (owner, group, links), read-only means no.

BROKEN = "broken/gpt3-without-biases-and-norms.yaml"


def test_fix_keeps_the_owner_and_group(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    config = copy_example(BROKEN, tmp_path)
    os.chown(config, 65534, 65534)
    assert main(["--isolated", "--fix", str(config)]) == 0
    info = config.stat()
    assert (info.st_uid, info.st_gid) == (65534, 65534) and "174_604_259_328" in config.read_text()


def test_fix_writes_in_place_when_the_owner_cannot_be_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = copy_example(BROKEN, tmp_path)
    inode = config.stat().st_ino

    def chown(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chown", chown)
    monkeypatch.setattr(os, "fstat", lambda fd: os.stat_result((0o100644, 0, 0, 1, 12345, 12345, 0, 0, 0, 0)))
    assert main(["--isolated", "--fix", str(config)]) == 0
    assert config.stat().st_ino == inode and "174_604_259_328" in config.read_text()
    assert sorted(tmp_path.iterdir()) == [config]


def test_fix_keeps_hard_links(tmp_path: Path) -> None:
    config = copy_example(BROKEN, tmp_path)
    other = tmp_path / "other-name.yaml"
    os.link(config, other)
    assert main(["--isolated", "--fix", str(config)]) == 0
    assert config.stat().st_ino == other.stat().st_ino and other.stat().st_nlink == 2
    assert "174_604_259_328" in other.read_text()
    assert sorted(tmp_path.iterdir()) == sorted([config, other])  # the verified copy is gone


def test_fix_refuses_a_read_only_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = copy_example(BROKEN, tmp_path)
    before = config.read_bytes()
    config.chmod(0o444)
    assert main(["--isolated", "--fix", str(config)]) == 2
    assert "read-only" in capsys.readouterr().err and config.read_bytes() == before


def test_fix_on_a_fifo_does_not_hang(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "config.yaml"
    os.mkfifo(fifo)
    outcome: list = []
    worker = threading.Thread(target=lambda: outcome.append(fix_file(str(fifo))), daemon=True)
    worker.start()
    worker.join(timeout=5)
    if worker.is_alive():  # unblock the thread before failing
        with open(fifo, "wb"):
            pass
        pytest.fail("--fix blocked on a named pipe")
    assert "named pipe" in outcome[0].result.findings[0].message


def test_fix_does_not_lose_an_edit_made_while_it_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = copy_example(BROKEN, tmp_path)
    real_fsync = os.fsync
    edited = b"# someone else's edit\n" + config.read_bytes()

    def fsync(fd: int) -> None:
        config.write_bytes(edited)  # lands between param-lint's read and its rename
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    fix = fix_file(str(config))
    assert fix.error and "changed while it was being fixed" in fix.error
    assert config.read_bytes() == edited and sorted(tmp_path.iterdir()) == [config]


SIGTERM_DURING_WRITE = """
import os, signal, sys
real_fsync = os.fsync
def fsync(fd):
    os.kill(os.getpid(), signal.SIGTERM)
    real_fsync(fd)
os.fsync = fsync
from param_lint.cli import main
sys.exit(main(["--isolated", "--fix", sys.argv[1]]))
"""


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.test_cli import ROOT

    config = copy_example(BROKEN, tmp_path)
    before = config.read_bytes()
    run = subprocess.run(
        [sys.executable, "-c", SIGTERM_DURING_WRITE, str(config)],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 143 and "Traceback" not in run.stderr
    assert sorted(tmp_path.iterdir()) == [config] and config.read_bytes() == before


def test_fix_of_a_directory_does_not_write_through_a_symlink_leading_outside_it(tmp_path: Path) -> None:
    outside = copy_example(BROKEN, tmp_path)
    before = outside.read_bytes()
    (tmp_path / "tree").mkdir()
    os.symlink(outside, tmp_path / "tree" / "config.yaml")
    run = param_lint("--isolated", "--fix", "tree", cwd=tmp_path)
    assert run.returncode == 2 and "outside tree" in run.stderr
    assert outside.read_bytes() == before


def test_fix_writes_through_a_symlink_named_explicitly(tmp_path: Path) -> None:
    outside = copy_example(BROKEN, tmp_path)
    (tmp_path / "tree").mkdir()
    os.symlink(outside, tmp_path / "tree" / "config.yaml")
    assert param_lint("--isolated", "--fix", "tree/config.yaml", cwd=tmp_path).returncode == 0
    assert "174_604_259_328" in outside.read_text() and (tmp_path / "tree" / "config.yaml").is_symlink()


def test_the_diff_of_a_path_with_spaces_applies_with_patch(tmp_path: Path) -> None:
    import subprocess

    directory = tmp_path / "my configs"
    directory.mkdir()
    config = copy_example(BROKEN, directory)
    diff = param_lint("--isolated", "--fix", "--diff", "my configs", cwd=tmp_path).stdout
    if not shutil.which("patch"):
        pytest.skip("GNU patch is not installed")
    subprocess.run(["patch", "-p0", "--quiet"], input=diff, text=True, cwd=tmp_path, check=True)
    assert "174_604_259_328" in config.read_text()
