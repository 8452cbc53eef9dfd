"""param-lint's benchmarks: one command, every ratio measured side by side in the same run.

    python bench/run.py                  # everything it can run here
    python bench/run.py --quick          # fewer repeats and files, for a smoke test
    python bench/run.py --torch-python /path/to/venv/bin/python   # (e) with torch from another venv

(a) 1,000 generated configs in one call: param-lint (schema, count and every rule) in one
    process (`--jobs 1`) versus check-jsonschema validating the same files against the same
    schema. Target: <= 0.25. Then the default mode against `--jobs 1` while the other CPUs are
    kept busy (this script starts one spinning process per other CPU): the default must be
    no slower. check-jsonschema is not a dependency of param-lint: `pip install
    check-jsonschema` (or `pip install -e '.[bench]'`), or pass --check-jsonschema PATH.
(b) start-up on one clean file versus `python -c "import yaml, jsonschema"`. Target: <= 1.05x.
(c) peak memory (RSS) over 50,000 files against one file, in one process and with workers.
    Target: <= 2x.
(d) the cost of one file in each format param-lint reads, against a native config. Target:
    <= 2x (comparable). Formats join the list FORMAT_SAMPLES as they land.
(e) the count of a Hugging Face config versus instantiating it with transformers on the
    meta device (no memory, no weights). Needs torch and transformers, here or in the
    interpreter given by --torch-python; skipped with a message otherwise.
(f) the diagnosis: time per file for PL201 files (singles and pairs tried) against the
    clean path. Target: < 5 ms per file, and the clean path does not load the diagnosis.

Wall times are medians of repeated runs, the two sides of a ratio interleaved so that a
busy moment of the machine hits both. Nothing here is a unit test.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
SCHEMA = ROOT / "schemas" / "model-config.schema.json"


def median_seconds(command: list[str], repeats: int, cwd: Path | None = None) -> float:
    return statistics.median(timed(command, cwd) for _ in range(repeats))


def timed(command: list[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def side_by_side(a: list[str], b: list[str], repeats: int, cwd: Path | None = None) -> tuple[float, float]:
    """Median wall times of two commands, run alternately."""
    first, second = [], []
    timed(a, cwd), timed(b, cwd)  # warm the file cache and the .pyc files
    for _ in range(repeats):
        first.append(timed(a, cwd))
        second.append(timed(b, cwd))
    return statistics.median(first), statistics.median(second)


def random_model(rng: random.Random) -> dict:
    """A plausible native `model:` mapping, from GPT-2-small to Llama-70B-like sizes."""
    n_head = rng.choice([4, 8, 12, 16, 32, 64])
    d_head = rng.choice([32, 64, 128])
    model = {
        "n_vocab": rng.choice([32000, 50257, 65536, 128256]),
        "n_layer": rng.randint(2, 96),
        "d_model": n_head * d_head,
        "n_head": n_head,
        "n_kv_head": rng.choice([d for d in (1, 2, 4, 8, n_head) if n_head % d == 0]),
        "mlp": rng.choice(["standard", "gated"]),
        "norm": rng.choice(["layernorm", "rmsnorm"]),
        "bias": rng.choice([True, False]),
        "tie_embeddings": rng.choice([True, False]),
    }
    model["d_ff"] = model["d_model"] * rng.choice([2, 3, 4])
    if rng.random() < 0.5:
        model["position_embedding"], model["n_context"] = "learned", rng.choice([1024, 2048, 4096])
    else:
        model["position_embedding"] = "rotary"
    if rng.random() < 0.15:
        model["moe"] = {"n_expert": 8, "n_expert_per_token": 2}
    return model


def write_configs(directory: Path, n: int, seed: int = 6) -> list[Path]:
    """`n` valid configs whose expected_params is the exact count (the clean path)."""
    import yaml

    import param_lint

    rng = random.Random(seed)
    paths = []
    for i in range(n):
        model = random_model(rng)
        config = {"name": f"model-{i}", "model": model}
        config["expected_params"] = param_lint.count(config).total
        config["tolerance"] = 0
        path = directory / f"config-{i:04d}.yaml"
        path.write_text(yaml.safe_dump(config, sort_keys=False))
        paths.append(path)
    return paths


def find_check_jsonschema(given: str | None) -> str | None:
    if given:
        return given
    beside = Path(sys.executable).parent / "check-jsonschema"
    return str(beside) if beside.exists() else shutil.which("check-jsonschema")


def bench_a(directory: Path, repeats: int, check_jsonschema: str | None) -> dict:
    files = sorted(str(p.name) for p in directory.glob("*.yaml"))
    param_lint = [sys.executable, "-m", "param_lint", "--isolated", "."]
    one_process = [*param_lint, "--jobs", "1"]
    figures: dict = {}
    if check_jsonschema is None:
        print("(a) skipped: check-jsonschema not found; `pip install check-jsonschema` (or '.[bench]') and run again")
    else:
        check_command = [check_jsonschema, "--schemafile", str(SCHEMA), *files]
        check = subprocess.run(check_command, cwd=directory, env=ENV, capture_output=True, text=True)
        ours = subprocess.run(param_lint, cwd=directory, env=ENV, capture_output=True, text=True)
        assert check.returncode == 0, f"check-jsonschema rejects the generated configs:\n{check.stdout[-2000:]}"
        assert ours.returncode == 0, f"param-lint rejects the generated configs:\n{ours.stdout[-2000:]}"
        pl, cj = side_by_side(one_process, check_command, repeats, directory)
        ratio = pl / cj
        print(
            f"(a) {len(files):,} configs in one process (--jobs 1): param-lint {pl:.3f} s, "
            f"check-jsonschema {cj:.3f} s; "
            f"ratio {ratio:.3f} (target <= 0.25: {verdict(ratio, 0.25)})"
        )
        figures["one_process"] = {"param_lint_s": pl, "check_jsonschema_s": cj, "ratio": ratio}
    # The default mode on a machine whose other CPUs are busy: it must not lose to one process.
    from param_lint.pipeline import _cpus, workers

    with busy_cpus(_cpus() - 1):
        time.sleep(0.5)  # let the spinners be scheduled
        chosen = workers(len(files))
        default, single = side_by_side(param_lint, one_process, repeats * 2, directory)
    ratio = default / single
    same = " (one process chosen: the code path of --jobs 1, so a difference is the machine's noise)"
    print(
        f"(a) the same with the other {_cpus() - 1} CPU(s) busy: default mode {default:.3f} s ({chosen} process(es) "
        f"chosen), --jobs 1 {single:.3f} s; ratio {ratio:.3f} (target <= 1, no slower; "
        f"{verdict(ratio, 1.0, noise=0.05)}){same if chosen == 1 else ''}"
    )
    figures["busy"] = {"default_s": default, "jobs1_s": single, "ratio": ratio, "workers": chosen}
    hook = (ROOT / ".pre-commit-hooks.yaml").read_text()
    serial = "require_serial: true" in hook
    print(
        "(a) pre-commit hook: "
        + (
            "require_serial: true, so one hook run is one param-lint process (the default mode above)"
            if serial
            else "require_serial is not true: pre-commit starts one param-lint per CPU (MISSES)"
        )
    )
    figures["hook_one_process"] = serial
    return figures


def verdict(ratio: float, target: float, noise: float = 0.0) -> str:
    """'meets', or by how much it misses; within `noise` of the target counts as a tie."""
    if ratio <= target:
        return "meets"
    if ratio <= target * (1 + noise):
        return f"within the {noise:.0%} noise of this machine"
    return f"MISSES by {ratio / target:.2f}x"


class busy_cpus:
    """Keep `n` CPUs busy with spinning processes (started and stopped here, by their ids)."""

    def __init__(self, n: int) -> None:
        self.n = max(0, n)
        self.spinners: list[subprocess.Popen] = []

    def __enter__(self) -> busy_cpus:
        for _ in range(self.n):
            self.spinners.append(subprocess.Popen([sys.executable, "-c", "while True: pass"]))
        return self

    def __exit__(self, *exc: object) -> None:
        for spinner in self.spinners:
            spinner.kill()
            spinner.wait()


def bench_b(file: Path, repeats: int) -> dict:
    pl, base = side_by_side(
        [sys.executable, "-m", "param_lint", "--isolated", str(file)],
        [sys.executable, "-c", "import yaml, jsonschema"],
        repeats,
    )
    ratio = pl / base
    print(
        f"(b) start-up on one clean file: param-lint {pl * 1000:.0f} ms, "
        f"`import yaml, jsonschema` {base * 1000:.0f} ms; "
        f"ratio {ratio:.3f} (target <= 1.05: {verdict(ratio, 1.05)})"
    )
    return {"param_lint_ms": pl * 1000, "import_ms": base * 1000, "ratio": ratio}


PEAK_RSS = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def peak_rss_mb(command: list[str], cwd: Path) -> float:
    """The peak resident memory of `command` and every process it starts (the largest one)."""
    out = subprocess.run([sys.executable, "-c", PEAK_RSS, *command], cwd=cwd, env=ENV, capture_output=True, text=True)
    kilobytes = int(out.stdout.strip())
    return kilobytes / 1024 / (1024 if sys.platform == "darwin" else 1)  # macOS says bytes


def bench_c(directory: Path, source: Path, n: int, repeats: int) -> dict:
    """Peak memory over `n` files (copies of the generated configs) against one file."""
    from param_lint.pipeline import _cpus

    originals = sorted(source.glob("*.yaml"))
    texts = [p.read_bytes() for p in originals]
    many = directory / "many"
    for i in range(n):
        folder = many / f"d{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True)
        (folder / f"c{i:05d}.yaml").write_bytes(texts[i % len(texts)])
    one = directory / "one.yaml"
    one.write_bytes(texts[0])
    figures = {}
    jobs = max(2, _cpus())
    for label, option in (("one process (--jobs 1)", "1"), (f"{jobs} workers (--jobs {jobs})", str(jobs))):
        command = [sys.executable, "-m", "param_lint", "--isolated", "--jobs", option]
        single = statistics.median(peak_rss_mb([*command, str(one)], directory) for _ in range(repeats))
        whole = statistics.median(peak_rss_mb([*command, str(many)], directory) for _ in range(max(1, repeats // 3)))
        ratio = whole / single
        print(
            f"(c) peak memory, {label}: {n:,} files {whole:.1f} MB, one file {single:.1f} MB; "
            f"ratio {ratio:.2f} (target <= 2: {verdict(ratio, 2.0)})"
        )
        figures[option] = {"files": n, "many_mb": whole, "one_mb": single, "ratio": ratio}
    return figures


def _native_sample(directory: Path) -> Path:
    return write_configs(directory, 1)[0]


def _huggingface_sample(directory: Path) -> Path:
    path = directory / "config.json"
    shutil.copy(ROOT / "examples" / "hf-llama-2-7b.json", path)
    return path


def _framework_sample(name: str, n_vocab: int, directive: bool = False):
    """A framework config from examples/frameworks/; its vocabulary size, which such files do not
    carry, declared as examples/frameworks/pyproject.toml does (or by a comment directive)."""

    def write(directory: Path) -> tuple[Path, object]:
        from param_lint.settings import Settings, from_table

        path = directory / name
        text = (ROOT / "examples" / "frameworks" / name).read_text()
        if directive:
            path.write_text(f"# param-lint: n_vocab={n_vocab}\n{text}")
            return path, Settings()
        path.write_text(text)
        return path, Settings(**from_table({"files": {f"*/{name}": {"n_vocab": n_vocab}}}, "bench"))

    return write


def _checkpoint_sample(directory: Path) -> Path:
    """bench/checkpoint.py's checkpoint (issue 12): config.json, index and 1,000 sparse shards."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from checkpoint import build  # bench/checkpoint.py

    return build(directory)


# The formats of (d): a name and a function that writes one clean sample file into a folder
# (and returns its path, or its path and the Settings it is linted with). The native config is
# the yardstick. Formats join here as they land (the checkpoint header of issue 12: add its
# writer); a sample that is None is reported as not measured yet.
FORMAT_SAMPLES: list[tuple[str, object]] = [
    ("native config", _native_sample),
    ("Hugging Face config.json", _huggingface_sample),
    ("GPT-NeoX config (framework)", _framework_sample("neox-pythia-1b.yml", 50277)),
    ("NeMo config (framework)", _framework_sample("nemo-llama3-8b.yaml", 128256)),
    ("NeMo config, n_vocab by a # param-lint: directive", _framework_sample("nemo-llama3-8b.yaml", 128256, True)),
    ("Llama config.json with its checkpoint: 100,002 tensors in 1,000 shards", _checkpoint_sample),
]


def bench_d(directory: Path, repeats: int) -> dict:
    """Per-file time, in process, of each format against the native config."""
    from param_lint.pipeline import lint_file

    figures: dict = {}
    native_ms = None
    for name, writer in FORMAT_SAMPLES:
        if writer is None:
            print(f"(d) {name}: not measured yet (the format has not landed; add its sample to FORMAT_SAMPLES)")
            continue
        folder = directory / f"format{len(figures)}"
        folder.mkdir()
        from param_lint.settings import Settings

        written = writer(folder)  # type: ignore[operator]
        path, settings = (str(written[0]), written[1]) if isinstance(written, tuple) else (str(written), Settings())
        result = lint_file(path, settings)
        assert not any(f.severity == "error" for f in result.findings), f"{name}: the sample is not clean: {result}"
        runs: list[float] = []
        while len(runs) < repeats * 20 and (len(runs) < 3 or sum(runs) < 3):  # at most ~3 s per format
            start = time.perf_counter()
            lint_file(path, settings)
            runs.append(time.perf_counter() - start)
        ms = statistics.median(runs) * 1000
        native_ms = native_ms or ms
        ratio = ms / native_ms
        print(f"(d) {name}: {ms:.3f} ms per file, {ratio:.2f}x a native config (target <= 2: {verdict(ratio, 2.0)})")
        figures[name] = {"ms": ms, "ratio": ratio}
    return figures


HF_CONFIGS = {  # Llama shapes, tiny to 70B; transformers fills in every absent key
    "llama-tiny": {
        "model_type": "llama",
        "vocab_size": 1000,
        "hidden_size": 64,
        "intermediate_size": 172,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
    },
    "llama-2-7b": {
        "model_type": "llama",
        "vocab_size": 32000,
        "hidden_size": 4096,
        "intermediate_size": 11008,
        "num_hidden_layers": 32,
        "num_attention_heads": 32,
        "num_key_value_heads": 32,
    },
    "llama-2-70b": {
        "model_type": "llama",
        "vocab_size": 32000,
        "hidden_size": 8192,
        "intermediate_size": 28672,
        "num_hidden_layers": 80,
        "num_attention_heads": 64,
        "num_key_value_heads": 8,
    },
}


def torch_python(given: str | None) -> str | None:
    if given:
        return given
    probe = subprocess.run([sys.executable, "-c", "import torch, transformers"], capture_output=True)
    return sys.executable if probe.returncode == 0 else None


def bench_e(directory: Path, repeats: int, python: str | None) -> dict:
    if python is None:
        print(
            "(e) skipped: torch and transformers are not installed here; pass --torch-python PYTHON of an environment "
            "that has them (CPU torch is enough: the model is built on the meta device)"
        )
        return {}
    from param_lint.pipeline import lint_file

    paths = {}
    for name, config in HF_CONFIGS.items():
        paths[name] = directory / f"{name}.json"
        paths[name].write_text(json.dumps(config))
    meta = subprocess.run(
        [python, str(Path(__file__).parent / "hf_meta.py"), str(repeats), *map(str, paths.values())],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    if meta.returncode != 0:
        print(f"(e) skipped: transformers failed in {python}:\n{meta.stderr[-1500:]}")
        return {}
    theirs = json.loads(meta.stdout)
    figures = {}
    for name, path in paths.items():
        result = lint_file(str(path))
        seconds = []
        for _ in range(repeats * 20):
            start = time.perf_counter()
            lint_file(str(path))
            seconds.append(time.perf_counter() - start)
        ours = statistics.median(seconds)
        meta_s, numel = theirs[str(path)]
        same = "same count" if numel == result.params else f"COUNTS DIFFER: {result.params} vs {numel}"
        figures[name] = {
            "param_lint_ms": ours * 1000,
            "meta_ms": meta_s * 1000,
            "ratio": meta_s / ours,
            "params": numel,
        }
        print(
            f"(e) {name}: param-lint {ours * 1000:.2f} ms (load, schema, count, rules), transformers on meta "
            f"{meta_s * 1000:.0f} ms; param-lint {meta_s / ours:,.0f}x faster; {same} ({numel:,})"
        )
    return figures


def bench_f(directory: Path, repeats: int) -> dict:
    """Per-file time, in process, for clean files and for PL201 files that run the diagnosis."""
    import yaml

    from param_lint.pipeline import lint_file

    rng = random.Random(4)
    clean = write_configs(directory / "clean", 100) if (directory / "clean").mkdir() is None else []
    wrong = []
    (directory / "wrong").mkdir()
    for path in clean:
        config = yaml.safe_load(path.read_text())
        # Off by an amount no mistake explains: the diagnosis tries every single and every pair.
        config["expected_params"] = int(config["expected_params"] * rng.uniform(0.5, 0.9))
        target = directory / "wrong" / path.name
        target.write_text(yaml.safe_dump(config, sort_keys=False))
        wrong.append(target)
    assert all(any(f.code == "PL201" for f in lint_file(str(p)).findings) for p in wrong)

    def per_file(paths: list[Path]) -> float:
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            for path in paths:
                lint_file(str(path))
            runs.append((time.perf_counter() - start) / len(paths))
        return statistics.median(runs)

    per_file(clean), per_file(wrong)  # warm up
    clean_s, wrong_s = per_file(clean), per_file(wrong)
    loads = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from param_lint.pipeline import lint_file; "
            f"lint_file({str(clean[0])!r}); print('param_lint.diagnose' in sys.modules)",
        ],
        env=ENV,
        capture_output=True,
        text=True,
    ).stdout.strip()
    verdict = "meets" if wrong_s * 1000 < 5 else "MISSES"
    print(
        f"(f) diagnosis: PL201 files {wrong_s * 1000:.2f} ms per file "
        f"(diagnosis {1000 * (wrong_s - clean_s):.2f} ms of it), "
        f"clean files {clean_s * 1000:.2f} ms per file; target < 5 ms: {verdict}; "
        f"the clean path loads the diagnosis: {'yes' if loads == 'True' else 'no'}"
    )
    return {"pl201_ms": wrong_s * 1000, "clean_ms": clean_s * 1000, "clean_loads_diagnose": loads == "True"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and files (a smoke test, not figures)")
    parser.add_argument("--only", default="abcdef", help="which benchmarks, e.g. 'ab'")
    parser.add_argument("--check-jsonschema", help="path of the check-jsonschema command")
    parser.add_argument("--torch-python", help="a Python with torch and transformers, for (e)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 9
    from param_lint.pipeline import _cpus

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"param-lint benchmarks: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs ({_cpus()} usable), "
        f"load average {load:.2f} at the start, medians of {repeats} runs"
    )
    # `pip install` compiles param-lint's modules to bytecode, as it did yaml's and jsonschema's;
    # compile them here too, or every run (PYTHONDONTWRITEBYTECODE=1) would pay a compile.
    compileall.compile_dir(str(ROOT / "param_lint"), quiet=1)
    figures: dict = {"cpus": os.cpu_count(), "load_average": load}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "a").mkdir()
        write_configs(work / "a", 1000)
        if "a" in args.only:
            figures["a"] = bench_a(work / "a", max(3, repeats // 2), find_check_jsonschema(args.check_jsonschema))
        if "b" in args.only:
            one = work / "one.yaml"
            shutil.copy(ROOT / "examples" / "llama-2-7b.yaml", one)
            figures["b"] = bench_b(one, repeats * 3)
        if "c" in args.only:
            (work / "c").mkdir()
            figures["c"] = bench_c(work / "c", work / "a", 5_000 if args.quick else 50_000, 3)
        if "d" in args.only:
            (work / "d").mkdir()
            figures["d"] = bench_d(work / "d", repeats)
        if "e" in args.only:
            (work / "e").mkdir()
            figures["e"] = bench_e(work / "e", repeats, torch_python(args.torch_python))
        if "f" in args.only:
            (work / "f").mkdir()
            figures["f"] = bench_f(work / "f", repeats)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
