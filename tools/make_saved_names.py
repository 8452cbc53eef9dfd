"""Record the tensor names a transformers 5 checkpoint holds on disk, for the types only 5.x has.

What: for every entry of ``tests/hf/tensor_names.json`` recorded from transformers 5
(``"transformers": "5.24.0"``), build the same model on the ``meta`` device and apply
transformers' own ``revert_weight_conversion`` (what ``save_pretrained`` does: the loading
conversion of ``conversion_mapping.py`` reversed) to its state dict; record the resulting
names and shapes as ``patterns`` (every index replaced by ``{}``), ``count`` and ``sha256``
(as tools/make_tensor_names.py does) in ``tests/hf/saved_names.json``.

Why: transformers 5 converts on load (per-expert tensors ``mlp.experts.{e}.gate_proj.weight``
merged into a stacked ``mlp.experts.gate_up_proj``, Nemotron-H's ``backbone.`` renamed
``model.`` ...), so ``named_parameters()`` is not what a published checkpoint holds. These
saved names are the on-disk layout param-lint must accept beside the in-memory one
(param_lint/checkpoint/names.py ``Naming.saved``; tests/checkpoint/test_saved_layout.py).

How to run (torch and transformers 5.24.0 only here, never at lint time)::

    /work/scratch/venv-hf5/bin/python tools/make_saved_names.py [--only PREFIX] [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated import write_or_check  # noqa: E402
from make_golden import build_model  # noqa: E402
from make_tensor_names import config_path, digest, patterns  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
NAMES = REPO / "tests" / "hf" / "tensor_names.json"
OUTPUT = REPO / "tests" / "hf" / "saved_names.json"


def saved(fields: dict) -> dict:
    """The state dict of `fields`' model as save_pretrained writes it, as a names record."""
    from transformers.core_model_loading import revert_weight_conversion

    _, model = build_model(fields)
    state = revert_weight_conversion(model, model.state_dict())
    named = [(name, list(tensor.shape)) for name, tensor in state.items()]
    return {"sha256": digest(named), "count": len(named), "patterns": patterns(named)}


def compute(only: str | None, previous: dict) -> dict:
    import torch
    import transformers

    out: dict = {"_meta": {"transformers": transformers.__version__, "torch": torch.__version__}}
    for label, entry in json.loads(NAMES.read_text()).items():
        if label == "_meta" or entry.get("transformers") != transformers.__version__:
            continue
        if only and not label.startswith(only):
            if label in previous:
                out[label] = previous[label]
            continue
        fields = {**json.loads(config_path(entry["config"]).read_text()), **entry["overrides"]}
        out[label] = {"config": entry["config"], "overrides": entry["overrides"], **saved(fields)}
        print(f"{label}: {out[label]['count']} tensors saved", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if --output differs from a fresh run")
    parser.add_argument("--only", help="rebuild only the entries whose key starts with this; keep the others")
    args = parser.parse_args(argv)
    previous = json.loads(args.output.read_text()) if args.output.exists() else {}
    text = json.dumps(compute(args.only, previous), indent=1, sort_keys=True) + "\n"
    return write_or_check(args.output, text, args.check)


if __name__ == "__main__":
    sys.exit(main())
