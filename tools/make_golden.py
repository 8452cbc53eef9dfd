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
* ``class``  -- the instantiated model class name: the class the file's
  ``architectures`` names when transformers has it (the whole model), else
  ``AutoModelForCausalLM`` (``AutoModelForSeq2SeqLM`` for encoder-decoders,
  ``AutoModelForMaskedLM`` for an encoder that has no causal LM class, ``AutoModel``
  for a model with neither, such as a standalone vision tower).
* ``transformers`` -- the transformers version that built it.
* ``alias_of`` -- only for a model_type transformers does not know whose
  ``architectures`` names a native class (Kimi-K2: ``kimi_k2`` ->
  ``DeepseekV3ForCausalLM``): the model_type of that class's config.
* ``refused_by`` -- only where a transformers version cannot build the file: that version
  and why (a model type it does not have, or a value it rejects).
* ``also`` / ``means`` -- only where another transformers version disagrees:
  that version's ``{"total", "active"}``, and which of the two the file means
  (from ``MEANS`` below; an unexplained disagreement stops the tool).

Why: param-lint counts parameters analytically from a config, without torch.
These numbers come from real instantiation and are what its tests compare with.

How to run (torch and transformers are only needed here, never at lint time):
one virtualenv per transformers version, each with torch==2.13.0; the first
``--python`` is the reference, the others are compared with it and build the
model types the reference does not know::

    python3 tools/make_golden.py --python /work/scratch/venv-hf4/bin/python \
        --python /work/scratch/venv-hf5/bin/python            # (re)write tests/hf/golden.json
    python3 tools/make_golden.py --python ... --python ... --check   # exit 1 if stale

Without ``--python`` the running interpreter is the only version. The reference is
transformers 4.57.6, because 5.x ties T5's lm_head whatever the config file says
(see tests/hf/README.md); types that exist only in 5.x (deepseek_v32) come from 5.x.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIGS = REPO / "tests" / "hf" / "configs"
DEFAULT_OUTPUT = REPO / "tests" / "hf" / "golden.json"

# Keys that only matter for custom (trust_remote_code) code; every config here
# has a native transformers model_type, so they are dropped before building.
_CUSTOM_CODE_KEYS = ("auto_map",)

# Config attribute names for "number of routed experts" and "experts per token"
# (looked up on the config and on a nested ffn_config, as DBRX keeps them).
_N_EXPERTS_KEYS = ("n_routed_experts", "num_local_experts", "num_experts", "moe_num_experts")
_TOP_K_KEYS = ("num_experts_per_tok", "moe_top_k", "moe_k", "top_k", "top_k_experts")
# Routed experts kept as stacked tensors outside an ``experts`` module (GraniteMoe).
_STACKED_EXPERT_PARTS = ("block_sparse_moe.input_linear.", "block_sparse_moe.output_linear.")

# Where two transformers versions count a model type differently: which count the
# published file means. Every disagreement must be explained here.
MEANS = {
    "t5": "4.57.6: the file's tie_word_embeddings false gives T5 v1.1 / Flan-T5 their own lm_head, "
    "as the published checkpoints have; 5.x ties lm_head to the embedding whatever the flag says",
    "mt5": "4.57.6: mT5 files say tie_word_embeddings false and the checkpoints have their own lm_head; "
    "5.x ties it (as for T5)",
}


def _first_attr(cfg, names):
    # name first, then holder: PretrainedConfig itself has a generation `top_k` (50) that
    # must not shadow DBRX's ffn_config.moe_top_k
    for name in names:
        for holder in (cfg, getattr(cfg, "ffn_config", None)):
            value = getattr(holder, name, None)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                return value
    return None


def _is_routed_expert_param(name: str) -> bool:
    """True for parameters of routed experts (``...experts.<i>.w1.weight``, a fused
    ``...experts.gate_up_proj``, GraniteMoe's stacked ``input_linear``); false for
    shared experts and routers."""
    if "shared_expert" in name:
        return False
    return ".experts." in name or any(part in name for part in _STACKED_EXPERT_PARTS)


# A class a published file's `architectures` names that transformers does not have -> the class
# it has natively for the same model under another spelling: Kimi-K2.5's remote-code class
# (transformers 5), and Qwen2.5-Omni's preview name (the hub files were written by the
# 4.51.0.dev0 preview; released transformers calls the whole model ...ForConditionalGeneration).
REMOTE_CLASS_NATIVE = {
    "KimiK25ForConditionalGeneration": "Kimi_K25ForConditionalGeneration",
    "Qwen2_5OmniModel": "Qwen2_5OmniForConditionalGeneration",
}


def model_class(fields: dict, cfg):
    """The class the file's ``architectures`` names, when transformers has it and it
    takes this config; otherwise the Auto class for a causal LM or an encoder-decoder."""
    import transformers

    for name in fields.get("architectures") or ():
        cls = getattr(transformers, REMOTE_CLASS_NATIVE.get(name, name), None)
        if cls is not None and isinstance(cfg, cls.config_class):
            return cls
    from transformers.models.auto.modeling_auto import (
        MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
        MODEL_FOR_MASKED_LM_MAPPING_NAMES,
    )

    if getattr(cfg, "is_encoder_decoder", False):
        return transformers.AutoModelForSeq2SeqLM
    if cfg.model_type in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES:
        return transformers.AutoModelForCausalLM
    if cfg.model_type in MODEL_FOR_MASKED_LM_MAPPING_NAMES:
        return transformers.AutoModelForMaskedLM  # an encoder without a causal LM class (DeBERTa-v2)
    return transformers.AutoModel  # a standalone tower (SiglipVisionModel)


def build_model(fields: dict):
    """Instantiate the model for one config dict on the meta device.

    A model_type transformers does not know (Kimi-K2's ``kimi_k2``) is built with the
    config class of the native class its ``architectures`` names (then the returned
    config's model_type is that class's, not the file's).
    """
    import torch
    import transformers
    from transformers import AutoConfig
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING

    fields = dict(fields)
    model_type = fields.pop("model_type")
    for key in _CUSTOM_CODE_KEYS:
        fields.pop(key, None)
    if model_type in CONFIG_MAPPING:
        cfg = AutoConfig.for_model(model_type, **fields)
    else:
        native = [getattr(transformers, name, None) for name in fields.get("architectures") or ()]
        native = [cls for cls in native if cls is not None and hasattr(cls, "config_class")]
        if not native:
            raise KeyError(f"transformers {transformers.__version__} has no model_type {model_type!r}")
        cfg = native[0].config_class(**fields)
    cls = model_class(fields, cfg)
    with torch.device("meta"):
        model = cls.from_config(cfg) if cls.__name__.startswith("Auto") else cls._from_config(cfg)
    return cfg, model


def count(fields: dict) -> dict:
    """Golden entry for one config dict."""
    import transformers

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
    entry = {
        "model_type": fields["model_type"],
        "total": total,
        "active": active,
        "class": type(model).__name__,
        "transformers": transformers.__version__,
    }
    if cfg.model_type != fields["model_type"]:
        entry["alias_of"] = cfg.model_type
    return entry


def compute(configs_dir: Path, verbose: bool = True, only: str | None = None) -> dict:
    """Entries for every config (whose key starts with `only`) this interpreter's
    transformers can build; the others get ``{"error": ...}`` (a model type this version
    does not have, or a file it refuses)."""
    import torch
    import transformers

    golden = {"_meta": {"transformers": transformers.__version__, "torch": torch.__version__}}
    for path in sorted(configs_dir.rglob("*.json")):
        key = path.relative_to(configs_dir).as_posix()
        if only and not key.startswith(only):
            continue
        fields = json.loads(path.read_text())
        if fields.get("model_type") != path.parent.name:
            raise ValueError(f"{key}: model_type {fields.get('model_type')!r} != folder name")
        start = time.monotonic()
        try:
            golden[key] = count(fields)
        except Exception as error:  # a model type this version lacks, or a file it refuses
            golden[key] = {"error": refusal(error)}
        if verbose:
            entry = golden[key]
            shown = entry.get("error") or f"{entry['total']:>16,d} active={entry['active']} {entry['class']}"
            print(f"{transformers.__version__:8s} {key:55s} {shown} ({time.monotonic() - start:.1f}s)", file=sys.stderr)
    return golden


def refusal(error: Exception) -> str:
    """One line saying why a transformers version could not build a config."""
    lines = [line.strip() for line in str(error).strip().splitlines()[:2]]
    return f"{type(error).__name__}: {' '.join(lines)}"[:200]


def compute_with(python: str, configs_dir: Path, verbose: bool, only: str | None = None) -> dict:
    """compute() run by another interpreter (a virtualenv with another transformers)."""
    argv = [python, str(Path(__file__).resolve()), "--raw", "--configs", str(configs_dir)]
    argv += ["--only", only] if only else []
    run = subprocess.run(argv + ([] if verbose else ["-q"]), stdout=subprocess.PIPE, text=True, check=True)
    return json.loads(run.stdout)


def merge(runs: list[dict]) -> dict:
    """One golden file from per-version runs: the first (reference) version's entry where
    it can build the model, else the first version that can; other versions that count
    differently are recorded under ``also`` with ``means`` saying which the file means."""
    reference = runs[0]
    meta = dict(reference["_meta"])
    meta["compared_with"] = [run["_meta"]["transformers"] for run in runs[1:]]
    golden = {"_meta": meta}
    unexplained = []
    for key in sorted(k for k in reference if k != "_meta"):
        built = [run[key] for run in runs if "error" not in run[key]]
        if not built:
            raise ValueError(f"{key}: no transformers version builds it: {reference[key]['error']}")
        entry = dict(built[0])
        refused = {run["_meta"]["transformers"]: run[key]["error"] for run in runs if "error" in run[key]}
        if refused:  # recorded, so a count only some releases can build says so
            entry["refused_by"] = refused
        others = {
            other["transformers"]: {"total": other["total"], "active": other["active"]}
            for other in built[1:]
            if (other["total"], other["active"]) != (entry["total"], entry["active"])
        }
        if others:
            entry["also"] = others
            if entry["model_type"] not in MEANS:
                unexplained.append(key)
            else:
                entry["means"] = MEANS[entry["model_type"]]
        golden[key] = entry
    if unexplained:
        raise ValueError(f"versions disagree, add to MEANS which count the file means: {unexplained}")
    return golden


def dumps(golden: dict) -> str:
    return json.dumps(golden, indent=2, sort_keys=True) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", type=Path, default=DEFAULT_CONFIGS, help="folder of <model_type>/<name>.json")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="golden JSON to write or check")
    parser.add_argument("--check", action="store_true", help="recompute and exit 1 if --output differs")
    parser.add_argument("-q", "--quiet", action="store_true", help="no per-config progress on stderr")
    parser.add_argument(
        "--python",
        action="append",
        default=[],
        help="interpreter of a virtualenv with torch and one transformers version; repeat for more "
        "versions, the first is the reference (default: this interpreter)",
    )
    parser.add_argument("--only", help="rebuild only the configs whose key starts with this; keep the others")
    parser.add_argument("--raw", action="store_true", help=argparse.SUPPRESS)  # one version's entries, to stdout
    args = parser.parse_args(argv)

    if args.raw:
        print(json.dumps(compute(args.configs, verbose=not args.quiet, only=args.only)))
        return 0
    if args.python:
        runs = [compute_with(python, args.configs, not args.quiet, args.only) for python in args.python]
    else:
        runs = [compute(args.configs, verbose=not args.quiet, only=args.only)]
    golden = merge(runs)
    if args.only:  # the other entries as recorded
        previous = json.loads(args.output.read_text()) if args.output.exists() else {}
        golden = {**{k: v for k, v in previous.items() if not k.startswith(args.only)}, **golden}
        golden = {"_meta": golden.pop("_meta"), **dict(sorted(golden.items()))}
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
