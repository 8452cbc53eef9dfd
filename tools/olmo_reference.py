"""Reference counts for OLMo trainer YAML from OLMo's own model code (ai2-olmo).

Run in a scratch virtualenv (the model is built on the meta device; nothing is downloaded):

    python -m venv /work/scratch/venv-olmo
    /work/scratch/venv-olmo/bin/pip install torch==2.13.0 ai2-olmo==0.6.0 datasets
    /work/scratch/venv-olmo/bin/python tools/olmo_reference.py CONFIG.yaml ...

For each file, `OLMo(ModelConfig(**model), init_params=False).num_params()` is written to
`tests/frameworks/olmo_golden.json`, keyed by file name, with the library versions.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

import yaml
from olmo.config import ModelConfig
from olmo.model import OLMo

OUT = Path(__file__).resolve().parents[1] / "tests" / "frameworks" / "olmo_golden.json"


def main(paths: list[str]) -> None:
    golden = {"versions": {"ai2-olmo": version("ai2-olmo"), "torch": version("torch")}, "files": {}}
    for name in paths:
        model = yaml.safe_load(Path(name).read_text(encoding="utf-8"))["model"]
        model["init_device"] = "meta"
        golden["files"][Path(name).name] = OLMo(ModelConfig(**model), init_params=False).num_params()
    OUT.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(golden["files"], indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
