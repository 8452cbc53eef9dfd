"""Hostile and odd input, through the real command line: a finding or a clean refusal, never a crash.

One row per case. Small cases are files in `corpus/` (readable; each says what it is);
huge, binary or special ones (20,000-deep nesting, FIFOs, symlink loops) are made at test
time. Every run is a subprocess of `python -m param_lint`, and must

- end with status 0 or 1 and a JSON report whose codes are exactly the row's, or with
  status 2 and a one-line `param-lint: error:` refusal (the row says which);
- print no traceback and no "internal error";
- finish well inside a generous bound (a guard against hangs, not a speed test: the
  speed figures live in `bench/`);
- stay under 100 MB of memory above a run on a small valid config (the child's own
  peak RSS, from `os.wait4` in a small launcher);
- leave every file it was given untouched.
"""

from __future__ import annotations

import builtins
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).parent / "corpus"
HANG_GUARD_SECONDS = 5.0  # each case takes ~0.2 s; this only catches hangs and blow-ups
MEMORY_ABOVE_START_MB = 100

# The valid config that the "odd clothing" rows dress up; the corpus files start from it too.
VALID = "model:\n  n_vocab: 32000\n  n_layer: 2\n  d_model: 64\n  n_head: 4\n  n_context: 128\n"
VALID_JSON = '{"model": {"n_vocab": 32000, "n_layer": 2, "d_model": 64, "n_head": 4, "n_context": 128}}'


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float

    def codes(self) -> set[str]:
        report = json.loads(self.stdout)
        return {d["code"] for f in report["files"] for d in f["diagnostics"]}

    def params(self) -> list[int | None]:
        return [f["params"] for f in json.loads(self.stdout)["files"]]


# The child that runs param-lint is forked from this small launcher, not from pytest: a
# process's peak RSS survives exec, so a fork of the (large) pytest process would report
# pytest's memory as param-lint's.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "param_lint", *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
with open(os.environ["PARAM_LINT_TEST_RUSAGE"], "w") as report:
    report.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def param_lint(*args: str, cwd: Path) -> Run:
    """Run the CLI in a child process; measure its wall time and its own peak memory."""
    with tempfile.TemporaryDirectory() as scratch:
        out, err, usage = (Path(scratch) / name for name in ("out", "err", "rusage"))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", "PARAM_LINT_TEST_RUSAGE": str(usage)}
        env.pop("PARAM_LINT_DEBUG", None)
        with out.open("wb") as stdout, err.open("wb") as stderr:
            start = time.perf_counter()
            child = subprocess.Popen(
                [sys.executable, "-c", LAUNCHER, *args],
                cwd=cwd,
                stdout=stdout,
                stderr=stderr,
                env=env,
                start_new_session=True,
            )
            try:
                status = child.wait(timeout=HANG_GUARD_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
                pytest.fail(f"param-lint {' '.join(args)} still running after {HANG_GUARD_SECONDS} s")
            seconds = time.perf_counter() - start
        scale = 1 / (1 << 20) if sys.platform == "darwin" else 1 / 1024  # ru_maxrss: bytes on macOS, KiB on Linux
        peak_mb = int(usage.read_text()) * scale
        return Run(status, out.read_text(errors="replace"), err.read_text(errors="replace"), seconds, peak_mb)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """The same valid config, plainly written: the reference count and start-up memory."""
    directory = tmp_path_factory.mktemp("baseline")
    (directory / "plain.yaml").write_text(VALID)
    run = param_lint("--isolated", "--format", "json", "plain.yaml", cwd=directory)
    assert run.status == 0, run.stdout + run.stderr
    return run


# Builders: each writes what the case needs into a directory and returns the CLI arguments.
Make = Callable[[Path], list[str]]


def corpus(name: str) -> Make:
    def make(directory: Path) -> list[str]:
        (directory / name).write_bytes((CORPUS / name).read_bytes())
        return [name]

    return make


def raw(name: str, data: bytes | Callable[[], bytes], *options: str) -> Make:
    def make(directory: Path) -> list[str]:
        (directory / name).write_bytes(data() if callable(data) else data)
        return [*options, name]

    return make


def special(build: Callable[[Path], list[str]]) -> Make:
    return build


def deep_yaml_lists() -> bytes:
    return b"model: " + b"[" * 20_000 + b"]" * 20_000 + b"\n"


def deep_yaml_mappings() -> bytes:
    return b"model: " + b"{a: " * 20_000 + b"1" + b"}" * 20_000 + b"\n"


def deep_yaml_blocks() -> bytes:  # block style: 20,000 levels would be 400 MB of indentation
    return "".join("  " * level + f"k{level}:\n" for level in range(150)).encode() + b"  " * 150 + b"x: 1\n"


def deep_json_arrays() -> bytes:
    return b'{"model": ' + b"[" * 20_000 + b"]" * 20_000 + b"}"


def deep_json_objects() -> bytes:
    return b'{"a": ' * 20_000 + b"1" + b"}" * 20_000


def every_byte() -> bytes:
    return bytes(range(256)) * 4


def half_a_million_json_values() -> bytes:
    return b"[" + b",".join([b"1"] * 500_000) + b"]"


def just_over_a_mebibyte() -> bytes:
    return VALID.encode() + b"# padding\n" * ((1 << 20) // 10 + 1)


def fifo(name: str) -> Make:
    def make(directory: Path) -> list[str]:
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes on this platform")
        os.mkfifo(directory / name)  # opening it for reading would wait for a writer forever
        return [name]

    return make


def fifo_in_a_searched_directory(directory: Path) -> list[str]:
    (directory / "configs").mkdir()
    (directory / "configs" / "a.yaml").write_text(VALID)
    fifo("configs/pipe.yaml")(directory)
    return ["configs"]


def symlink_loop(directory: Path) -> list[str]:
    os.symlink("loop-b.yaml", directory / "loop-a.yaml")
    os.symlink("loop-a.yaml", directory / "loop-b.yaml")
    return ["loop-a.yaml"]


def dangling_symlink(directory: Path) -> list[str]:
    os.symlink("nowhere.yaml", directory / "dangling.yaml")
    return ["dangling.yaml"]


def path_through_a_file(directory: Path) -> list[str]:
    (directory / "file.yaml").write_text(VALID)
    return ["file.yaml/model.yaml"]


def directory_named_like_a_file(directory: Path) -> list[str]:
    (directory / "config.yaml").mkdir()
    return ["config.yaml"]


def unreadable_file(directory: Path) -> list[str]:
    path = directory / "secret.yaml"
    path.write_text(VALID)
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything; test_unreadable_file_in_process covers it there
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        pytest.skip("running as root: chmod 000 does not stop reading (see test_unreadable_file_in_process)")
    return ["secret.yaml"]


def max_file_size_setting(directory: Path) -> list[str]:
    (directory / "pyproject.toml").write_text('[tool.param-lint]\nmax-file-size = "50"\n')
    (directory / "config.yaml").write_text(VALID)
    return ["--config", "pyproject.toml", "config.yaml"]


@dataclass
class Case:
    id: str
    make: Make
    codes: set[str] | None  # the findings' codes, exactly; None: a clean refusal (status 2)


def finds(*codes: str) -> set[str]:
    return set(codes)


REFUSED = None
CASES = [
    # Unsafe or abusive YAML: PL003.
    Case("alias bomb (billion laughs) is refused, not expanded", corpus("alias-bomb.yaml"), finds("PL003")),
    Case("!!python/object/apply tag is refused, never run", corpus("python-object-tag.yaml"), finds("PL003")),
    Case("!!python/name tag is refused", corpus("python-name-tag.yaml"), finds("PL003")),
    Case("unknown local tag is refused", corpus("unknown-local-tag.yaml"), finds("PL003")),
    Case("tag from a %TAG directive is refused", corpus("tag-directive.yaml"), finds("PL003")),
    Case("20,000-deep YAML flow lists are refused", raw("deep-lists.yaml", deep_yaml_lists), finds("PL003")),
    Case("20,000-deep YAML flow mappings are refused", raw("deep-maps.yaml", deep_yaml_mappings), finds("PL003")),
    Case("150-deep YAML block mappings are refused", raw("deep-blocks.yaml", deep_yaml_blocks), finds("PL003")),
    Case("20,000-deep JSON arrays are refused", raw("deep-arrays.json", deep_json_arrays), finds("PL003")),
    Case("20,000-deep JSON objects are refused", raw("deep-objects.json", deep_json_objects), finds("PL003")),
    Case("half a million JSON values are refused", raw("wide.json", half_a_million_json_values), finds("PL003")),
    Case("a file over 1 MiB is refused by default", raw("huge.yaml", just_over_a_mebibyte), finds("PL003")),
    Case(
        "--max-file-size refuses a larger file",
        raw("config.yaml", VALID.encode(), "--max-file-size", "50"),
        finds("PL003"),
    ),
    Case("max-file-size from pyproject.toml refuses a larger file", special(max_file_size_setting), finds("PL003")),
    # Cannot read, decode or parse: PL001.
    Case("binary file (every byte value) is PL001", raw("binary.yaml", every_byte), finds("PL001")),
    Case("PNG image named .yaml is PL001", raw("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), finds("PL001")),
    Case(
        "invalid UTF-8 is PL001",
        raw("latin1.yaml", VALID.replace("model", "mod\xe9l").encode("latin-1")),
        finds("PL001"),
    ),
    Case("UTF-16 without a byte order mark is PL001", raw("utf16.yaml", VALID.encode("utf-16-le")), finds("PL001")),
    Case("truncated UTF-16 after its byte order mark is PL001", raw("cut.yaml", b"\xff\xfe\x00\xd8"), finds("PL001")),
    Case("control character in a string is PL001", corpus("control-character.yaml"), finds("PL001")),
    Case("tab indentation is PL001", corpus("tab-indentation.yaml"), finds("PL001")),
    Case("several YAML documents are PL001", corpus("several-documents.yaml"), finds("PL001")),
    Case("alias to no anchor is PL001", corpus("undefined-alias.yaml"), finds("PL001")),
    Case(
        "5,000-digit YAML integer is PL001",
        raw("digits.yaml", VALID.replace("32000", "9" * 5000).encode()),
        finds("PL001"),
    ),
    Case(
        "5,000-digit JSON integer is PL001",
        raw("digits.json", VALID_JSON.replace("32000", "9" * 5000).encode()),
        finds("PL001"),
    ),
    Case(
        "base-60 integer of 300,000 places is PL001, not 20 s of arithmetic",
        raw("base60.yaml", lambda: b"a: 1" + b":59" * 300_000 + b"\n"),
        finds("PL001"),
    ),
    Case("empty !!int and !!bool maybe are PL001", corpus("explicit-tags-without-values.yaml"), finds("PL001")),
    Case("base-60 float too large for a float is PL001", corpus("sexagesimal-float-overflow.yaml"), finds("PL001")),
    Case("missing path is PL001", special(lambda d: ["missing.yaml"]), finds("PL001")),
    Case("unreadable file (chmod 000) is PL001", special(unreadable_file), finds("PL001")),
    Case("named pipe is PL001, not a hang", fifo("pipe.yaml"), finds("PL001")),
    Case("named pipe found in a directory is PL001", special(fifo_in_a_searched_directory), finds("PL001")),
    Case("symlink loop is PL001", special(symlink_loop), finds("PL001")),
    Case("dangling symlink is PL001", special(dangling_symlink), finds("PL001")),
    Case("path through a file is PL001", special(path_through_a_file), finds("PL001")),
    Case("directory named like a file, holding no config, is refused", special(directory_named_like_a_file), REFUSED),
    # Readable, but not a config: PL100; wrong values: PL101 (PL002 for duplicates).
    Case("empty YAML file is PL100", corpus("empty.yaml"), finds("PL100")),
    Case("empty JSON file is PL100", corpus("empty.json"), finds("PL100")),
    Case("whitespace-only JSON is PL100", corpus("whitespace-only.json"), finds("PL100")),
    Case("only comments is PL100", corpus("only-comments.yaml"), finds("PL100")),
    Case("top-level list is PL100", corpus("top-level-list.yaml"), finds("PL100")),
    Case("top-level scalar is PL100", corpus("top-level-scalar.yaml"), finds("PL100")),
    Case("top-level JSON string is PL100", corpus("top-level-string.json"), finds("PL100")),
    Case("keys YAML reads as int, bool and null are PL101", corpus("non-string-keys.yaml"), finds("PL101")),
    Case("a list as a key is PL101", corpus("complex-key.yaml"), finds("PL101")),
    Case("merge of a scalar is PL101", corpus("merge-of-a-scalar.yaml"), finds("PL101")),
    Case("400-digit YAML integer is PL101", corpus("integer-400-digits.yaml"), finds("PL101")),
    Case("400-digit JSON integer is PL101", corpus("integer-400-digits.json"), finds("PL101")),
    Case("1e400 in YAML is PL101", corpus("exponent-1e400.yaml"), finds("PL101")),
    Case("1e400 in JSON is PL101", corpus("exponent-1e400.json"), finds("PL101")),
    Case("float where an integer belongs is PL101", corpus("float-where-integer.yaml"), finds("PL101")),
    Case("yes where an integer belongs is PL101", corpus("yes-where-integer.yaml"), finds("PL101")),
    Case("null where an integer belongs is PL101", corpus("null-where-integer.yaml"), finds("PL101")),
    Case("NaN and infinities in YAML are PL101", corpus("nan-and-infinity.yaml"), finds("PL101")),
    Case("NaN and infinities in JSON are PL101", corpus("nan-and-infinity.json"), finds("PL101")),
    Case("zero sizes are PL101", corpus("zero-sizes.yaml"), finds("PL101")),
    Case("negative sizes and count are PL101", corpus("negative-sizes.yaml"), finds("PL101")),
    Case("expected_params 1e400000000B is PL101", corpus("expected-params-overflow.yaml"), finds("PL101")),
    Case("tolerance 1e400000000B is PL101", corpus("tolerance-overflow.yaml"), finds("PL101")),
    Case("weights 9**9**9**9 is PL101, not computed", corpus("weights-power-tower.yaml"), finds("PL101")),
    Case("weights division by zero is PL101", corpus("weights-division-by-zero.yaml"), finds("PL101")),
    Case("weights modulo zero is PL101", corpus("weights-modulo-zero.yaml"), finds("PL101")),
    Case("weights name that is not a hyperparameter is PL101", corpus("weights-unknown-name.yaml"), finds("PL101")),
    Case("weights Python code is PL101, never evaluated", corpus("weights-python-code.yaml"), finds("PL101")),
    Case("weights negative exponent is PL101", corpus("weights-negative-exponent.yaml"), finds("PL101")),
    Case("weights 40 nested parentheses is PL101", corpus("weights-deep-parentheses.yaml"), finds("PL101")),
    Case("weights mapping instead of a shape is PL101", corpus("weights-not-a-shape.yaml"), finds("PL101")),
    Case("lone surrogate in a JSON key is PL101", corpus("lone-surrogate-key.json"), finds("PL101")),
    Case("duplicate key is PL002", corpus("duplicate-keys.yaml"), finds("PL002")),
    Case("every size at 2**31 is counted exactly (PL201)", corpus("sizes-at-the-limit.yaml"), finds("PL201")),
]

# Valid configs in odd clothing: they pass, with the same count as the plain file.
CLOTHING = [
    Case("UTF-8 with a byte order mark passes", raw("bom.yaml", b"\xef\xbb\xbf" + VALID.encode()), finds()),
    Case(
        "UTF-16-LE with a byte order mark passes",
        raw("utf16le.yaml", "\ufeff".encode("utf-16-le") + VALID.encode("utf-16-le")),
        finds(),
    ),
    Case(
        "UTF-16-BE JSON with a byte order mark passes",
        raw("utf16be.json", "\ufeff".encode("utf-16-be") + VALID_JSON.encode("utf-16-be")),
        finds(),
    ),
    Case("UTF-32 with a byte order mark passes", raw("utf32.yaml", VALID.encode("utf-32")), finds()),
    Case("CRLF line ends pass", raw("crlf.yaml", VALID.replace("\n", "\r\n").encode()), finds()),
    Case("CR-only line ends pass", raw("cr.yaml", VALID.replace("\n", "\r").encode()), finds()),
    Case(
        "byte order mark and CRLF JSON passes",
        raw("bom-crlf.json", b"\xef\xbb\xbf" + VALID_JSON.replace(", ", ",\r\n").encode()),
        finds(),
    ),
    Case("tabs as separators (not indentation) pass", corpus("tabs-as-separators.yaml"), finds()),
    Case("explicit --- and ... document markers pass", corpus("explicit-document-markers.yaml"), finds()),
    Case("yes where a boolean belongs passes", corpus("yes-where-boolean-is-fine.yaml"), finds()),
]


def snapshot(directory: Path) -> dict[str, tuple]:
    """Names, kinds, sizes, mtimes and (regular files') bytes: what a run must not change."""
    state = {}
    for path in sorted(directory.rglob("*")):
        info = path.lstat()
        content = path.read_bytes() if stat.S_ISREG(info.st_mode) and info.st_mode & stat.S_IRUSR else None
        state[str(path)] = (info.st_mode, info.st_size, info.st_mtime_ns, content)
    return state


def check(case: Case, directory: Path, baseline: Run) -> Run:
    arguments = case.make(directory)
    before = snapshot(directory)
    isolated = [] if "--config" in arguments else ["--isolated"]
    run = param_lint(*isolated, "--format", "json", *arguments, cwd=directory)
    assert "Traceback" not in run.stderr + run.stdout and "internal error" not in run.stderr, run.stderr
    if case.codes is REFUSED:
        assert run.status == 2, run.stdout + run.stderr
        assert run.stderr.startswith("param-lint: error:") and len(run.stderr.splitlines()) == 1, run.stderr
    else:
        assert run.status == (1 if case.codes else 0), run.stdout + run.stderr
        assert run.codes() == case.codes
    assert snapshot(directory) == before, "param-lint changed a file without --fix"
    assert run.seconds < HANG_GUARD_SECONDS
    assert run.peak_mb - baseline.peak_mb < MEMORY_ABOVE_START_MB, (
        f"{run.peak_mb:.0f} MB vs {baseline.peak_mb:.0f} MB at start"
    )
    return run


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_gives_a_finding_or_a_clean_refusal(case: Case, tmp_path: Path, baseline: Run) -> None:
    check(case, tmp_path, baseline)


@pytest.mark.parametrize("case", CLOTHING, ids=[case.id for case in CLOTHING])
def test_valid_config_in_odd_clothing_passes_with_the_same_count(case: Case, tmp_path: Path, baseline: Run) -> None:
    run = check(case, tmp_path, baseline)
    assert run.params() == baseline.params()


def test_corpus_has_no_unused_file() -> None:
    used = {name for case in CASES + CLOTHING for name in _corpus_names(case)}
    assert used == {p.name for p in CORPUS.iterdir()}


def _corpus_names(case: Case) -> list[str]:
    closure = getattr(case.make, "__closure__", None) or ()
    return [
        c.cell_contents for c in closure if isinstance(c.cell_contents, str) and (CORPUS / c.cell_contents).is_file()
    ]


def test_unreadable_file_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where chmod cannot stop reading (root), make the open itself fail as it would for a user."""
    from param_lint.pipeline import lint_file

    path = tmp_path / "secret.yaml"
    path.write_text(VALID)
    real_open = os.open

    def denied(name, *args, **kwargs):
        if os.fspath(name) == str(path):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    monkeypatch.setattr(builtins, "open", denied)
    findings = lint_file(str(path)).findings
    assert [(f.code, f.line, f.column) for f in findings] == [("PL001", 1, 1)]
    assert "Permission denied" in findings[0].message


@pytest.mark.parametrize("output", ["text", "json", "github", "sarif"])
def test_every_format_survives_a_lone_surrogate(output: str, tmp_path: Path) -> None:
    """A key no UTF-8 can encode must still be printed (escaped), in every format."""
    (tmp_path / "s.json").write_bytes((CORPUS / "lone-surrogate-key.json").read_bytes())
    run = param_lint("--isolated", "--format", output, "s.json", cwd=tmp_path)
    assert run.status == 1 and "Traceback" not in run.stderr, run.stderr
    if output in ("json", "sarif"):
        json.loads(run.stdout)
