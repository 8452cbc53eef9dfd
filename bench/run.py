"""param-lint's benchmarks: one command, every ratio measured side by side in the same run.

    python bench/run.py                  # everything it can run here
    python bench/run.py --quick          # fewer repeats, for a smoke test
    python bench/run.py --torch-python /path/to/venv/bin/python   # (c) with torch from another venv

(a) 1,000 generated configs in one call: param-lint (schema, count and every rule) versus
    check-jsonschema validating the same files against the same schema. Target: <= 1/3.
    check-jsonschema is not a dependency of param-lint: `pip install check-jsonschema`
    (or `pip install -e '.[bench]'`) into the environment you run this from, or pass
    --check-jsonschema PATH.
(b) start-up on one file versus `python -c "import yaml, jsonschema"`. Target: <= 1.3x.
(c) the count of a Hugging Face config versus instantiating it with transformers on the
    meta device (no memory, no weights). Needs torch and transformers, here or in the
    interpreter given by --torch-python; skipped with a message otherwise.
(d) issue 4's diagnosis: time per file for PL201 files (singles and pairs tried) against
    the clean path. Target: < 5 ms per file, and the clean path does not load the diagnosis.

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
    if check_jsonschema is None:
        print("(a) skipped: check-jsonschema not found; `pip install check-jsonschema` (or '.[bench]') and run again")
        return {}
    check = subprocess.run(
        [check_jsonschema, "--schemafile", str(SCHEMA), *files], cwd=directory, env=ENV, capture_output=True, text=True
    )
    ours = subprocess.run(param_lint, cwd=directory, env=ENV, capture_output=True, text=True)
    assert check.returncode == 0, f"check-jsonschema rejects the generated configs:\n{check.stdout[-2000:]}"
    assert ours.returncode == 0, f"param-lint rejects the generated configs:\n{ours.stdout[-2000:]}"
    check_command = [check_jsonschema, "--schemafile", str(SCHEMA), *files]
    figures = {}
    # As users run it (worker processes on every CPU for this many files), then in one process.
    for label, command in (("", param_lint), (", one process (--jobs 1)", [*param_lint, "--jobs", "1"])):
        pl, cj = side_by_side(command, check_command, repeats, directory)
        ratio = pl / cj
        verdict = "meets" if ratio <= 1 / 3 else f"MISSES by {ratio * 3:.2f}x"
        print(
            f"(a) {len(files):,} configs, one call{label}: param-lint {pl:.2f} s, check-jsonschema {cj:.2f} s; "
            f"ratio {ratio:.3f} (target <= 0.333: {verdict})"
        )
        key = "one_process" if label else "default"
        figures[key] = {"param_lint_s": pl, "check_jsonschema_s": cj, "ratio": ratio}
    return figures


def bench_b(file: Path, repeats: int) -> dict:
    pl, base = side_by_side(
        [sys.executable, "-m", "param_lint", "--isolated", str(file)],
        [sys.executable, "-c", "import yaml, jsonschema"],
        repeats,
    )
    ratio = pl / base
    verdict = "meets" if ratio <= 1.3 else f"MISSES by {ratio / 1.3:.2f}x"
    print(
        f"(b) start-up on one file: param-lint {pl * 1000:.0f} ms, `import yaml, jsonschema` {base * 1000:.0f} ms; "
        f"ratio {ratio:.2f} (target <= 1.3: {verdict})"
    )
    return {"param_lint_ms": pl * 1000, "import_ms": base * 1000, "ratio": ratio}


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


def bench_c(directory: Path, repeats: int, python: str | None) -> dict:
    if python is None:
        print(
            "(c) skipped: torch and transformers are not installed here; pass --torch-python PYTHON of an environment "
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
        print(f"(c) skipped: transformers failed in {python}:\n{meta.stderr[-1500:]}")
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
            f"(c) {name}: param-lint {ours * 1000:.2f} ms (load, schema, count, rules), transformers on meta "
            f"{meta_s * 1000:.0f} ms; param-lint {meta_s / ours:,.0f}x faster; {same} ({numel:,})"
        )
    return figures


def bench_d(directory: Path, repeats: int) -> dict:
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
        f"(d) diagnosis: PL201 files {wrong_s * 1000:.2f} ms per file "
        f"(diagnosis {1000 * (wrong_s - clean_s):.2f} ms of it), "
        f"clean files {clean_s * 1000:.2f} ms per file; target < 5 ms: {verdict}; "
        f"the clean path loads the diagnosis: {'yes' if loads == 'True' else 'no'}"
    )
    return {"pl201_ms": wrong_s * 1000, "clean_ms": clean_s * 1000, "clean_loads_diagnose": loads == "True"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke test, not figures)")
    parser.add_argument("--only", default="abcd", help="which benchmarks, e.g. 'ab'")
    parser.add_argument("--check-jsonschema", help="path of the check-jsonschema command")
    parser.add_argument("--torch-python", help="a Python with torch and transformers, for (c)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 9
    print(f"param-lint benchmarks: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, medians of {repeats} runs")
    # `pip install` compiles param-lint's modules to bytecode, as it did yaml's and jsonschema's;
    # compile them here too, or every run (PYTHONDONTWRITEBYTECODE=1) would pay a compile.
    compileall.compile_dir(str(ROOT / "param_lint"), quiet=1)
    figures = {}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        if "a" in args.only:
            (work / "a").mkdir()
            write_configs(work / "a", 1000)
            figures["a"] = bench_a(work / "a", max(3, repeats // 2), find_check_jsonschema(args.check_jsonschema))
        if "b" in args.only:
            one = work / "one.yaml"
            shutil.copy(ROOT / "examples" / "llama-2-7b.yaml", one)
            figures["b"] = bench_b(one, repeats * 3)
        if "c" in args.only:
            (work / "c").mkdir()
            figures["c"] = bench_c(work / "c", repeats, torch_python(args.torch_python))
        if "d" in args.only:
            (work / "d").mkdir()
            figures["d"] = bench_d(work / "d", repeats)
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
