"""The diagnosis cost of a PL201 file, against another checkout's, side by side.

    python bench/diagnosis.py                       # this checkout alone
    python bench/diagnosis.py --against ../main     # and the ratio to another checkout

The files are benchmark (d)'s of `bench/run.py`: 100 generated configs whose declared
count is off by an amount nothing explains, so every single mistake, every pair and
(since issue 15) every hyperparameter is tried. Each side runs in its own process on the
same files, alternately; the figure is CPU time per file (the machine is shared, and CPU
time is less disturbed by other processes than wall time), the median over runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import write_configs  # noqa: E402

TIMER = """
import sys, time
from param_lint.pipeline import lint_file
paths = sys.argv[1:]
for path in paths:
    lint_file(path)
runs = []
for _ in range(3):
    start = time.process_time()
    for path in paths:
        lint_file(path)
    runs.append((time.process_time() - start) / len(paths))
print(min(runs))
"""


def pl201_files(directory: Path) -> list[Path]:
    """Benchmark (d)'s PL201 files: generated configs declared 10 to 50% too small."""
    rng = random.Random(4)
    paths = write_configs(directory, 100)
    for path in paths:
        config = yaml.safe_load(path.read_text())
        config["expected_params"] = int(config["expected_params"] * rng.uniform(0.5, 0.9))
        path.write_text(yaml.safe_dump(config, sort_keys=False))
    return paths


def per_file(root: Path, paths: list[Path]) -> float:
    """Seconds of CPU per file for `root`'s param-lint (best of 3 loops over the files)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    run = subprocess.run(
        [sys.executable, "-c", TIMER, *map(str, paths)], env=env, capture_output=True, text=True, check=True
    )
    return float(run.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, help="another checkout of param-lint to compare with")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        paths = pl201_files(Path(tmp))
        roots = [ROOT] + ([args.against.resolve()] if args.against else [])
        times: dict[Path, list[float]] = {root: [] for root in roots}
        for _ in range(args.repeats):
            for root in roots:
                times[root].append(per_file(root, paths))
    medians = {root: statistics.median(runs) for root, runs in times.items()}
    for root, median in medians.items():
        spread = f"{min(times[root]) * 1000:.2f} to {max(times[root]) * 1000:.2f}"
        print(f"{root}: {median * 1000:.2f} ms of CPU per PL201 file (runs: {spread})")
    if args.against:
        print(f"ratio this / {args.against}: {medians[ROOT] / medians[args.against.resolve()]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
