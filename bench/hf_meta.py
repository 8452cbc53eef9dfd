"""Benchmark (c), the transformers side: build each config on the meta device, time it, count it.

    python bench/hf_meta.py REPEATS CONFIG.json...

Run by `bench/run.py` with the interpreter that has torch and transformers; prints
{path: [median seconds, parameter count]} as JSON. The meta device allocates no memory,
so this is the cheapest way transformers can give the count.
"""

from __future__ import annotations

import json
import statistics
import sys
import time

import torch
from transformers import AutoConfig, AutoModelForCausalLM


def main() -> None:
    repeats, paths = int(sys.argv[1]), sys.argv[2:]
    out = {}
    for path in paths:
        seconds, numel = [], 0
        for _ in range(repeats + 1):  # the first run warms transformers' lazy imports
            start = time.perf_counter()
            config = AutoConfig.from_pretrained(path)
            with torch.device("meta"):
                model = AutoModelForCausalLM.from_config(config)
            numel = sum(p.numel() for p in model.parameters())
            seconds.append(time.perf_counter() - start)
        out[path] = [statistics.median(seconds[1:]), numel]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
