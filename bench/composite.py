"""Benchmark: the count of the largest composite (multimodal) config against a dense Llama.

    python bench/composite.py [REPEATS]

Times, in one run and interleaved, `lint_file` (load, schema, read, count, rules) and the
count alone (`count_model`) for the largest config under tests/hf/composite/ (by golden
total) and for a dense Llama config, and prints the medians and their ratio. A composite
adds a tower and a projector, a few dozen terms: it should stay millisecond-scale.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from param_lint.dialects import read
from param_lint.load import load_path
from param_lint.parts import count_model
from param_lint.pipeline import lint_file

ROOT = Path(__file__).resolve().parent.parent / "tests" / "hf"
LLAMA = ROOT / "configs" / "llama" / "llama-2-7b-hf.json"


def largest_composite() -> Path:
    golden = json.loads((ROOT / "composite" / "golden.json").read_text())
    key = max((k for k in golden if k != "_meta"), key=lambda k: golden[k]["total"])
    return ROOT / "composite" / key


def timed(function, repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    composite = largest_composite()
    rows = {}
    for label, path in (("llama", LLAMA), ("composite", composite)):
        config, _ = read(load_path(str(path)).document)
        assert config is not None
        lint_file(str(path))  # warm imports and caches
        rows[label] = (
            path.relative_to(ROOT).as_posix(),
            timed(lambda p=str(path): lint_file(p), repeats),
            timed(lambda c=config: count_model(c.architecture, c.parts), repeats),
            count_model(config.architecture, config.parts).total,
        )
    for label, (path, whole, counting, total) in rows.items():
        timing = f"lint_file {whole * 1e3:6.3f} ms  count {counting * 1e6:7.1f} us"
        print(f"{label:10s} {path:55s} {total:>16,d} params  {timing}")
    (_, lw, lc, _), (_, cw, cc, _) = rows["llama"], rows["composite"]
    print(f"ratio composite / llama: lint_file {cw / lw:.2f}x, count {cc / lc:.2f}x (medians of {repeats})")


if __name__ == "__main__":
    main()
