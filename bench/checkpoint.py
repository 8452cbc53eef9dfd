"""Checking a big checkpoint: 1,000 safetensors shards holding 100,002 tensors.

    python bench/checkpoint.py            # medians of 7 runs
    python bench/checkpoint.py --quick    # 3 runs

Writes a Llama-style config.json with 11,111 layers (9 tensors each, plus 3) beside
model.safetensors.index.json and 1,000 shards (real headers over sparse zero data, so the
files are large but take no disk), then measures, each in a fresh process:

- param-lint on the config.json (load, count, index, every header, the comparison, every
  rule): wall time of the whole process and of `main()` alone, and peak memory (maxrss);
- `python -c pass`: the interpreter alone;
- `json.load` of the same index and `json.loads` of the same 1,000 headers (read with the
  same bounded reads): what holding the headers costs at the least.

Targets (issue 12): checked in well under a second; memory near that of the headers alone.
Nothing here is a unit test. A separate script: bench/run.py (the `speed` helper's) does not
run it yet; it prints its own figures the same way (medians of interleaved runs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

LAYERS, SHARDS = 11_111, 1_000
CONFIG = {
    "model_type": "llama",
    "vocab_size": 256,
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": LAYERS,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "tie_word_embeddings": False,
    "torch_dtype": "bfloat16",
}

MEASURE = """
import resource, sys, time
start, cpu = time.perf_counter(), time.process_time()
{body}
elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
print(elapsed, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
PARAM_LINT = """
from param_lint.cli import main
import io, contextlib
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main([{config!r}])
assert code == 0, out.getvalue()[-2000:]
"""
JSON_ONLY = """
import json, os
folder = {folder!r}
index = json.load(open(os.path.join(folder, "model.safetensors.index.json")))
headers = []
for name in sorted(set(index["weight_map"].values())):
    with open(os.path.join(folder, name), "rb") as file:
        length = int.from_bytes(file.read(8), "little")
        headers.append(json.loads(file.read(length)))
"""


def build(folder: Path) -> Path:
    from tests.checkpoint.build import expected_tensors, write_checkpoint

    tensors = expected_tensors(CONFIG)
    config = write_checkpoint(folder, CONFIG, tensors, shards=SHARDS)
    assert len(tensors) == LAYERS * 9 + 3
    return config


def run(body: str) -> tuple[float, float, float, int]:
    """Wall time of the process, wall and CPU time of `body`, peak memory in KiB."""
    import time

    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", MEASURE.format(body=body)], env=ENV, capture_output=True, text=True, check=True
    ).stdout
    wall = time.perf_counter() - start
    inner, cpu, maxrss = out.split()[-3:]
    return wall, float(inner), float(cpu), int(maxrss)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--build", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.build:
        build(Path(args.build))
        return 0
    repeats = 3 if args.quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        # built in another process: Linux keeps a process's peak memory across exec, so the
        # measured children must be started by a parent that stayed small
        folder = Path(tmp) / "model"
        subprocess.run([sys.executable, __file__, "--build", str(folder)], env=ENV, check=True)
        config = folder / "config.json"
        index_bytes = (folder / "model.safetensors.index.json").stat().st_size
        header_bytes = sum(int.from_bytes(p.open("rb").read(8), "little") for p in folder.glob("*.safetensors"))
        sides = {
            "param-lint": PARAM_LINT.format(config=str(config)),
            "python -c pass": "pass",
            "json.load (index + headers)": JSON_ONLY.format(folder=str(folder)),
        }
        results: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in sides}
        for body in sides.values():
            run(body)  # warm the page cache and the .pyc files
        for _ in range(repeats):
            for name, body in sides.items():  # interleaved, so a busy moment hits every side
                results[name].append(run(body))
    print(f"checkpoint: {SHARDS:,} shards, {LAYERS * 9 + 3:,} tensors", end="; ")
    print(f"index {index_bytes:,} bytes, headers {header_bytes:,} bytes")
    print(f"{'':30s} {'process s':>10s} {'inner s':>9s} {'inner CPU s':>12s} {'maxrss MiB':>11s}")
    medians = {}
    for name, rows in results.items():
        wall, inner, cpu = (statistics.median(r[i] for r in rows) for i in range(3))
        rss = statistics.median(r[3] for r in rows) / 1024
        medians[name] = (wall, inner, cpu, rss)
        print(f"{name:30s} {wall:10.3f} {inner:9.3f} {cpu:12.3f} {rss:11.1f}")
    lint, bare, loaded = medians["param-lint"], medians["python -c pass"], medians["json.load (index + headers)"]
    print(
        f"param-lint memory: {lint[3] / bare[3]:.2f}x python -c pass, {lint[3] / loaded[3]:.2f}x json.load of the same"
    )
    print(f"param-lint time: {lint[1]:.3f} s in main() ({lint[2]:.3f} s CPU),", end=" ")
    print(f"{lint[0]:.3f} s for the whole process; {lint[2] / loaded[2]:.2f}x json.load's CPU time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
