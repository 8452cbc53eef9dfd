"""Build the golden parameter counts for the Hugging Face configs in tests/hf/configs/.

What: for every ``tests/hf/configs/<model_type>/<name>.json`` (a published HF
``config.json``), build the transformers config from the JSON alone (no hub
download), instantiate the model on the ``meta`` device (no memory is
allocated, so 70B/671B models are fine) and record

* ``total``  -- ``sum(p.numel() for p in model.parameters())``.  ``parameters()``
  de-duplicates tied weights, which is the spec's definition of "parameters";
  buffers (rotary ``inv_freq``, masks, ...) are not counted.
* ``active`` -- for mixture-of-experts models only (``null`` otherwise): the
  parameters used per token, i.e. ``total`` minus the routed experts a token
  does not use.  Every parameter that belongs to the *routed* experts counts
  ``numel * top_k / n_routed_experts``; shared experts and routers always count
  fully.  Works for both expert layouts (one module per expert, or one fused
  3-D tensor per projection).
* ``class``  -- the instantiated model class name.

Why: param-lint counts parameters analytically from a config, without torch.
These numbers come from real instantiation and are what its tests compare with.

How to run (torch and transformers are only needed here, never at lint time)::

    python3 -m venv /tmp/venv-golden
    /tmp/venv-golden/bin/pip install torch==2.13.0 'transformers==4.57.6'
    /tmp/venv-golden/bin/python tools/make_golden.py            # (re)write tests/hf/golden.json
    /tmp/venv-golden/bin/python tools/make_golden.py --check    # exit 1 if golden.json is stale

transformers 4.57.6, because 5.x ties T5's lm_head whatever the config file says
(see tests/hf/README.md); on every other config the two agree.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIGS = REPO / "tests" / "hf" / "configs"
DEFAULT_OUTPUT = REPO / "tests" / "hf" / "golden.json"

# Keys that only matter for custom (trust_remote_code) code; every config here
# has a native transformers model_type, so they are dropped before building.
_CUSTOM_CODE_KEYS = ("auto_map",)

# Config attribute names for "number of routed experts" and "experts per token".
_N_EXPERTS_KEYS = ("n_routed_experts", "num_local_experts", "num_experts", "moe_num_experts")
_TOP_K_KEYS = ("num_experts_per_tok", "moe_top_k", "top_k")


def _first_attr(cfg, names):
    for name in names:
        value = getattr(cfg, name, None)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
    return None


def _is_routed_expert_param(name: str) -> bool:
    """True for parameters of routed experts (``...experts.<i>.w1.weight`` or a
    fused ``...experts.gate_up_proj``); false for shared experts and routers."""
    return ".experts." in name and "shared_expert" not in name


def build_model(fields: dict):
    """Instantiate the model for one config dict on the meta device."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM

    fields = dict(fields)
    model_type = fields.pop("model_type")
    for key in _CUSTOM_CODE_KEYS:
        fields.pop(key, None)
    cfg = AutoConfig.for_model(model_type, **fields)
    auto = AutoModelForSeq2SeqLM if getattr(cfg, "is_encoder_decoder", False) else AutoModelForCausalLM
    with torch.device("meta"):
        model = auto.from_config(cfg)
    return cfg, model


def count(fields: dict) -> dict:
    """Golden entry for one config dict."""
    cfg, model = build_model(fields)
    named = list(model.named_parameters())  # de-duplicated, like model.parameters()
    total = sum(p.numel() for _, p in named)
    routed = sum(p.numel() for name, p in named if _is_routed_expert_param(name))
    active = None
    if routed:
        n_experts = _first_attr(cfg, _N_EXPERTS_KEYS)
        top_k = _first_attr(cfg, _TOP_K_KEYS)
        if n_experts is None or top_k is None:
            raise ValueError(f"{fields['model_type']}: expert parameters found but no expert count / top_k")
        used, rem = divmod(routed * top_k, n_experts)
        assert rem == 0, f"routed expert params {routed} * top_k {top_k} not divisible by {n_experts}"
        active = total - routed + used
    return {
        "model_type": fields["model_type"],
        "total": total,
        "active": active,
        "class": type(model).__name__,
    }


def compute(configs_dir: Path, verbose: bool = True) -> dict:
    import torch
    import transformers

    golden = {"_meta": {"transformers": transformers.__version__, "torch": torch.__version__}}
    for path in sorted(configs_dir.rglob("*.json")):
        key = path.relative_to(configs_dir).as_posix()
        fields = json.loads(path.read_text())
        if fields.get("model_type") != path.parent.name:
            raise ValueError(f"{key}: model_type {fields.get('model_type')!r} != folder name")
        start = time.monotonic()
        golden[key] = count(fields)
        if verbose:
            entry = golden[key]
            print(
                f"{key:55s} {entry['total']:>16,d} active={entry['active']} "
                f"{entry['class']} ({time.monotonic() - start:.1f}s)",
                file=sys.stderr,
            )
    return golden


def dumps(golden: dict) -> str:
    return json.dumps(golden, indent=2, sort_keys=True) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", type=Path, default=DEFAULT_CONFIGS, help="folder of <model_type>/<name>.json")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="golden JSON to write or check")
    parser.add_argument("--check", action="store_true", help="recompute and exit 1 if --output differs")
    parser.add_argument("-q", "--quiet", action="store_true", help="no per-config progress on stderr")
    args = parser.parse_args(argv)

    golden = compute(args.configs, verbose=not args.quiet)
    text = dumps(golden)
    if args.check:
        old = json.loads(args.output.read_text()) if args.output.exists() else {}
        stale = sorted(k for k in set(old) | set(golden) if old.get(k) != golden.get(k))
        for key in stale:
            print(f"differs: {key}: file={old.get(key)} computed={golden.get(key)}", file=sys.stderr)
        if stale:
            print(f"{args.output} is stale ({len(stale)} entries); rerun without --check", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date ({len(golden) - 1} configs)", file=sys.stderr)
        return 0
    args.output.write_text(text)
    print(f"wrote {args.output} ({len(golden) - 1} configs)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
