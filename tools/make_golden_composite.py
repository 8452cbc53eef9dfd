"""Golden parameter counts, part by part, for the composite (multimodal) Hugging Face configs.

What: for every ``tests/hf/composite/<model_type>/<name>.json`` (a published config.json),
build the class its ``architectures`` names (the whole model: text model, towers and
projector) from the JSON alone, on the ``meta`` device, and record

* ``total`` -- ``sum(p.numel() for p in model.parameters())`` (tied weights once);
* ``parts`` -- the same sum split by where each parameter lives: ``vision`` (the vision
  tower), ``audio`` (the audio tower), ``projector`` (the multimodal projector / patch
  merger, Qwen3-VL's DeepStack mergers, image_newline, Gemma 4's embed_vision and
  embed_audio), ``talker`` and ``token2wav`` (Qwen2.5-Omni's speech side), ``per-layer``
  (Gemma 4's per-layer embeddings), ``head`` (a dual encoder's projections and logit scale/bias)
  and ``text`` (everything else: the language model and its head, a dual encoder's text tower);
* ``active`` (MoE text models only) -- ``total`` minus the routed experts a token does not use,
  as tools/make_golden.py computes it;
* ``class`` and ``transformers`` (the version that built it); ``not_in`` lists the compared
  versions that do not have the model type (qwen3_5, qwen3_5_moe: 5.x only), whose entry then
  comes from the first version that builds it.

The same approach as tools/make_golden.py (owned by the flat-family work): one virtualenv
per transformers version, the first ``--python`` is the reference and the others are
compared with it; where they disagree both are recorded (``also``) with ``means`` saying
which count the file means (``MEANS`` below; an unexplained disagreement stops the tool).

    python3 tools/make_golden_composite.py --python /work/scratch/venv-hf4/bin/python \
        --python /work/scratch/venv-hf5/bin/python            # (re)write the golden file
    python3 tools/make_golden_composite.py --python ... --check  # exit 1 if stale
    python3 tools/make_golden_composite.py --python ... --python ... --only gemma4/  # just those

torch and transformers are needed only here, never at lint time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # make_golden's expert accounting
from generated import write_or_check  # noqa: E402

DEFAULT_CONFIGS = REPO / "tests" / "hf" / "composite"
DEFAULT_OUTPUT = DEFAULT_CONFIGS / "golden.json"

# Where releases disagree: the release whose count a file of that type means (first word), and why.
MEANS: dict[str, str] = {
    "lfm2_vl": "5.24.0: a file with projector_use_layernorm false (LFM2.5-VL, written by transformers 5) "
    "has no projector LayerNorm in its checkpoint; 4.57.6 builds one whatever the flag says, 5.x honours it",
    "mistral3": "4.57.6: Mistral3Config in 5.x defaults the top-level tie_word_embeddings to true and ties "
    "lm_head to the embedding when the file does not say; the published checkpoints (Mistral Small 3.1/3.2, "
    "Magistral, Devstral) have their own language_model.lm_head.weight, as the text_config's "
    "tie_word_embeddings (false for mistral) says and 4.57.6 builds",
}

# Parameter-name fragments that place a parameter in a part (first match wins).
PART_OF = (
    (
        "projector",
        (
            "multi_modal_projector.",
            "visual.merger.",
            "visual.deepstack_merger_list.",
            "image_newline",
            "embed_vision.",  # Gemma 4's projectors into the text width
            "embed_audio.",
            "mm_projector.",  # Kimi-K2.5's
        ),
    ),
    # a dual encoder's (CLIP, SigLIP) projections and logit scale/bias, before vision's "visual.", and
    # BLIP's MLM transform (a BERT head, as the encoders call it)
    ("head", ("visual_projection.", "text_projection.", "logit_scale", "logit_bias", "cls.predictions.transform.")),
    ("cross-attention", (".crossattention.",)),  # BLIP's text decoder's cross-attention blocks
    ("vision", ("vision_tower.", "visual.", "vision_model.")),
    ("audio", ("audio_tower.",)),
    # Gemma 4's per-layer embeddings: the packed table, its projection and norm, each layer's gate/projection/norm
    ("per-layer", ("embed_tokens_per_layer.", "per_layer_")),
    ("talker", ("talker.",)),
    ("token2wav", ("token2wav.",)),
)


def part_of(name: str) -> str:
    for part, fragments in PART_OF:
        if any(fragment in name or name.startswith(fragment.rstrip(".")) for fragment in fragments):
            return part
    return "text"


def build_model(fields: dict):
    """tools/make_golden.py's instantiation: the class `architectures` names, on the meta device;
    a model_type transformers does not know is built with that class's config (an alias)."""
    from make_golden import build_model as build

    return build(fields)[1]


def active_count(model, total: int) -> int | None:
    """For a text model with routed experts: ``total`` minus the routed experts a token does
    not use (tools/make_golden.py's rule, the expert count and top-k read from the text
    config); None for a model without experts."""
    from make_golden import _N_EXPERTS_KEYS, _TOP_K_KEYS, _first_attr, _is_routed_expert_param

    routed = sum(p.numel() for name, p in model.named_parameters() if _is_routed_expert_param(name))
    if not routed:
        return None
    text = model.config.get_text_config()
    n_experts, top_k = _first_attr(text, _N_EXPERTS_KEYS), _first_attr(text, _TOP_K_KEYS)
    used, rem = divmod(routed * top_k, n_experts)
    assert rem == 0, f"routed expert params {routed} * top_k {top_k} not divisible by {n_experts}"
    return total - routed + used


def count(fields: dict) -> dict:
    import transformers

    model = build_model(fields)
    parts: dict[str, int] = {}
    for name, p in model.named_parameters():
        parts[part_of(name)] = parts.get(part_of(name), 0) + p.numel()
    total = sum(parts.values())
    entry = {
        "model_type": fields["model_type"],
        "total": total,
        "parts": dict(sorted(parts.items())),
        "class": type(model).__name__,
        "transformers": transformers.__version__,
    }
    native = type(model.config).model_type  # the config class's own (the instance keeps the file's)
    if native != fields["model_type"]:
        entry["alias_of"] = native  # a model_type this release knows only through `architectures`
    active = active_count(model, total)
    if active is not None:  # mixture-of-experts text models only (absent for the others)
        entry["active"] = active
    return entry


def compute(configs_dir: Path, only: str | None = None) -> dict:
    import torch
    import transformers

    golden = {"_meta": {"transformers": transformers.__version__, "torch": torch.__version__}}
    for path in sorted(configs_dir.rglob("*.json")):
        if path.name == "golden.json":
            continue
        key = path.relative_to(configs_dir).as_posix()
        if only and not key.startswith(only):
            continue
        fields = json.loads(path.read_text())
        if fields.get("model_type") != path.parent.name:
            raise ValueError(f"{key}: model_type {fields.get('model_type')!r} != folder name")
        try:
            golden[key] = count(fields)
        # a type or class this version does not have, or a file in a later release's format
        # (transformers 5 writes rope_parameters where 4.57.6's Qwen3-VL reads rope_scaling)
        except (KeyError, ValueError, AttributeError) as error:
            golden[key] = {"error": str(error)}
        print(f"{transformers.__version__:8s} {key:50s} {golden[key]}", file=sys.stderr)
    return golden


def counts(entry: dict) -> tuple:
    """What two releases must agree on: total, parts and (MoE) active."""
    return entry["total"], entry["parts"], entry.get("active")


def merge(runs: list[dict]) -> dict:
    """The reference version's entries; other versions that count differently under ``also``."""
    golden = {"_meta": {**runs[0]["_meta"], "compared_with": [run["_meta"]["transformers"] for run in runs[1:]]}}
    unexplained = []
    for key in sorted(k for k in runs[0] if k != "_meta"):
        built = [run[key] for run in runs if "error" not in run[key]]
        if not built:
            raise ValueError(f"{key}: no transformers version builds it: {runs[0][key]['error']}")
        entry = dict(built[0])
        meant = MEANS.get(entry["model_type"], "").split(":")[0]  # the release the file means
        if any(counts(other) != counts(entry) for other in built) and meant in [b["transformers"] for b in built]:
            entry = dict(next(b for b in built if b["transformers"] == meant))
        others = {
            other["transformers"]: {key: other[key] for key in ("total", "active", "parts") if key in other}
            for other in built
            if other["transformers"] != entry["transformers"] and counts(other) != counts(entry)
        }
        missing = [run["_meta"]["transformers"] for run in runs if "error" in run[key]]
        if missing:
            entry["not_in"] = missing
        if others:
            entry["also"] = others
            if entry["model_type"] in MEANS:
                entry["means"] = MEANS[entry["model_type"]]
            else:
                unexplained.append(key)
        golden[key] = entry
    if unexplained:
        print(json.dumps({k: golden[k] for k in unexplained}, indent=1), file=sys.stderr)
        raise ValueError(f"versions disagree, add to MEANS which count the file means: {unexplained}")
    return golden


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", type=Path, default=DEFAULT_CONFIGS)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="recompute and exit 1 if --output differs")
    parser.add_argument("--python", action="append", default=[], help="interpreter with torch + transformers")
    parser.add_argument("--only", help="rebuild only the configs whose key starts with this; keep the others")
    parser.add_argument("--raw", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.raw or not args.python:
        golden = compute(args.configs, args.only)
        if args.raw:
            print(json.dumps(golden))
            return 0
    else:
        runs = []
        for python in args.python:
            argv_ = [python, str(Path(__file__).resolve()), "--raw", "--configs", str(args.configs)]
            argv_ += ["--only", args.only] if args.only else []
            runs.append(json.loads(subprocess.run(argv_, stdout=subprocess.PIPE, text=True, check=True).stdout))
        golden = merge(runs)
    if args.only:  # the other entries as recorded
        previous = json.loads(args.output.read_text())
        golden = {**{k: v for k, v in previous.items() if not k.startswith(args.only)}, **golden}
    text = json.dumps(golden, indent=2, sort_keys=True) + "\n"
    return write_or_check(args.output, text, args.check)


if __name__ == "__main__":
    sys.exit(main())
