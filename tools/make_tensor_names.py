"""Record the state-dict names and shapes transformers gives each config in tests/hf/.

What: for every ``tests/hf/configs/<model_type>/<name>.json``, every composite
(``tests/hf/composite/``) and encoder (``tests/hf/encoders/``) config, keyed
``composite/<model_type>/<name>.json`` and ``encoders/...``, the configs of our own of the
types no published config backs (``configs_own/glm4/``, ``composite_own/llava_next/`` and
``composite_own/siglip2/``, keyed so) (and a few variants of them
that switch on options no published config here uses: q/k norms, parallel blocks, biases,
dense layers between MoE layers), instantiate the model on the ``meta`` device and record

* ``parameters``: ``named_parameters()`` (tied weights once), as ``sha256`` over the sorted
  lines ``name shape``, ``count``, and ``patterns``: every layer/expert/head index replaced
  by ``{}``, each pattern with its shapes and how many tensors have it (readable, small);
* ``copies``: state-dict keys that are a second name for a parameter (a tied lm_head,
  T5's per-stack embed_tokens), with their shapes;
* ``buffers``: the other state-dict keys (persistent buffers), collapsed to patterns;
* ``conversion`` and ``saved`` (multimodal classes only): the class's
  ``_checkpoint_conversion_mapping`` (how loading renames a checkpoint's keys) and the
  parameter names as ``save_pretrained`` writes them (that mapping reversed: the layout of
  the published checkpoints, ``language_model.model.layers...``), as patterns.

Why: param-lint derives these names from its breakdown (param_lint/checkpoint/names.py)
to check a checkpoint's index and safetensors headers without torch; this is the truth
it is tested against (tests/checkpoint/test_names.py reads ``tests/hf/tensor_names.json``).

How to run (torch and transformers only here, never at lint time)::

    /work/scratch/venv-hf4/bin/python tools/make_tensor_names.py \
        --fallback-python /work/scratch/venv-hf5/bin/python          # (re)write
    /work/scratch/venv-hf4/bin/python tools/make_tensor_names.py --fallback-python ... --check

with torch 2.13.0 and transformers 4.57.6 (see tests/hf/README.md for why 4.57.6). A config
whose model type that release does not have (qwen3_5, qwen3_5_moe, ministral3,
deepseek_v32, gemma4: transformers 5 only), and any variant of it, is
recorded by ``--fallback-python`` (a virtualenv with transformers 5.24.0), and its entry says
so under ``transformers``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated import write_or_check  # noqa: E402
from make_golden import build_model  # noqa: E402  (the same instantiation as the golden counts)

REPO = Path(__file__).resolve().parent.parent
HF = REPO / "tests" / "hf"
CONFIGS = HF / "configs"
FOLDERS = (HF / "composite", HF / "encoders")  # keyed by their path under tests/hf/
# Types counted on configs of our own only (no published config found): their own configs,
# keyed by their path under tests/hf/ too
OWN_ONLY = (HF / "configs_own" / "glm4", HF / "composite_own" / "llava_next", HF / "composite_own" / "siglip2")
OUTPUT = REPO / "tests" / "hf" / "tensor_names.json"

GEMMA4 = "composite/gemma4/gemma-4-26b-a4b.json"


def _gemma4(sub: str, **changes: object) -> dict:
    """Gemma 4-26B-A4B's text_config or vision_config with `changes` (overrides replace a whole key)."""
    return {**json.loads((HF / GEMMA4).read_text())[sub], **changes}


# Options the published configs here leave off, switched on over one of them.
VARIANTS: list[tuple[str, dict]] = [
    (  # Gemma 4 without experts, with a value projection in the global layers, biases, untied
        GEMMA4,
        {
            "text_config": _gemma4("text_config", enable_moe_block=False, attention_k_eq_v=False, attention_bias=True),
            "tie_word_embeddings": False,
        },
    ),
    (GEMMA4, {"vision_config": _gemma4("vision_config", use_clipped_linears=True, standardize=False)}),
    (  # Gemma 4 E2B/E4B's pieces: per-layer embeddings, KV-shared layers with a double-wide MLP
        GEMMA4,
        {
            "text_config": _gemma4(
                "text_config", hidden_size_per_layer_input=256, num_kv_shared_layers=10, use_double_wide_mlp=True
            )
        },
    ),
    (  # Gemma 4's audio tower (a small one, clipped linears) and its projector
        GEMMA4,
        {
            "audio_config": {
                "model_type": "gemma4_audio",
                "hidden_size": 64,
                "num_hidden_layers": 2,
                "num_attention_heads": 4,
                "subsampling_conv_channels": [16, 8],
                "output_proj_dims": 96,
            }
        },
    ),
    (  # the same without experts, with W_V in the global layers and biases (none on shared layers' K/V)
        GEMMA4,
        {
            "text_config": _gemma4(
                "text_config",
                enable_moe_block=False,
                attention_k_eq_v=False,
                attention_bias=True,
                hidden_size_per_layer_input=128,
                num_kv_shared_layers=7,
            )
        },
    ),
    ("cohere/aya-23-8b.json", {"use_qk_norm": True}),
    # (stablelm with qk_layernorm cannot be built: transformers 4.57.6's _init_weights zeroes
    # the bias its bias-free per-head LayerNorms do not have)
    ("stablelm/stablelm-3b-4e1t.json", {"use_parallel_residual": True, "use_qkv_bias": True}),
    ("phi/phi-2.json", {"qk_layernorm": True}),
    ("falcon/falcon-7b.json", {"parallel_attn": False, "bias": True}),
    ("falcon/falcon-7b.json", {"new_decoder_architecture": True, "num_kv_heads": 71, "num_ln_in_parallel_attn": 1}),
    ("gpt_bigcode/gpt_bigcode-santacoder.json", {"multi_query": False}),
    ("llama/llama-2-7b-hf.json", {"attention_bias": True, "mlp_bias": True, "tie_word_embeddings": True}),
    ("deepseek_v2/deepseek-v2.5.json", {"attention_bias": True}),
    ("qwen2_moe/qwen1.5-moe-a2.7b.json", {"mlp_only_layers": [0, 5], "decoder_sparse_step": 2}),
    ("qwen3_moe/qwen3-30b-a3b-instruct-2507.json", {"mlp_only_layers": [1], "decoder_sparse_step": 1}),
    ("opt/opt-125m.json", {"do_layer_norm_before": False, "tie_word_embeddings": False}),
    ("mamba2/mamba2-780m.json", {"tie_word_embeddings": False, "use_bias": True}),
    ("encoders/modernbert/ModernBERT-large-zeroshot-v2.0.json", {"architectures": ["ModernBertForMaskedLM"]}),
    ("encoders/bert/all-MiniLM-L6-v2.json", {"architectures": ["BertForSequenceClassification"]}),
    ("encoders/bert/all-MiniLM-L6-v2.json", {"architectures": ["BertForQuestionAnswering"]}),
    ("encoders/bert/all-MiniLM-L6-v2.json", {"architectures": ["BertForPreTraining"]}),
    ("encoders/bert/all-MiniLM-L6-v2.json", {"architectures": ["BertForTokenClassification"]}),
    ("encoders/roberta/roberta-base.json", {"architectures": ["RobertaModel"]}),
    ("encoders/roberta/roberta-base.json", {"architectures": ["RobertaForSequenceClassification"]}),
    ("encoders/roberta/roberta-base.json", {"architectures": ["RobertaForTokenClassification"]}),
    ("encoders/roberta/roberta-base.json", {"architectures": ["RobertaForQuestionAnswering"]}),
    ("encoders/roberta/roberta-base.json", {"architectures": ["RobertaForMultipleChoice"]}),
    ("encoders/xlm-roberta/xlm-roberta-base.json", {"architectures": ["XLMRobertaForSequenceClassification"]}),
    (
        "encoders/modernbert/ModernBERT-large-zeroshot-v2.0.json",
        {"architectures": ["ModernBertModel"], "norm_bias": True},
    ),
    (  # SigLIP2's attention-pooling head, which LFM2-VL's published towers leave off
        "composite/lfm2-vl/lfm2-vl-450m.json",
        {
            "vision_config": {
                "hidden_size": 768,
                "intermediate_size": 3072,
                "model_type": "siglip2_vision_model",
                "num_attention_heads": 12,
                "num_hidden_layers": 12,
                "num_patches": 256,
                "patch_size": 16,
                "vision_use_head": True,
            }
        },
    ),
    # encoder heads the published configs here do not name
    ("encoders/mpnet/all-mpnet-base-v2.json", {"architectures": ["MPNetForMaskedLM"]}),
    ("encoders/mpnet/all-mpnet-base-v2.json", {"architectures": ["MPNetForSequenceClassification"]}),
    ("encoders/dinov2/dinov2-small.json", {"architectures": ["Dinov2ForImageClassification"], "use_swiglu_ffn": True}),
    ("encoders/dinov2/dinov2-small.json", {"use_mask_token": False, "qkv_bias": False}),
    ("encoders/yolos/yolos-tiny.json", {"architectures": ["YolosModel"], "use_mid_position_embeddings": True}),
    (
        "encoders/segformer/segformer-b0-finetuned-ade-512-512.json",
        {
            "architectures": ["SegformerForImageClassification"],
            "num_encoder_blocks": 3,
            **{key: [64, 128, 320] for key in ("hidden_sizes",)},
            "sr_ratios": [4, 2, 2],
        },
    ),
    ("encoders/wav2vec2/wav2vec2-base-emotion-ft.json", {"architectures": ["Wav2Vec2ForPreTraining"]}),
    (
        "encoders/wav2vec2/wav2vec2-base-emotion-ft.json",
        {
            "architectures": ["Wav2Vec2ForCTC"],
            "do_stable_layer_norm": True,
            "feat_extract_norm": "layer",
            "conv_bias": True,
        },
    ),
    (
        "encoders/wavlm/wavlm-base-plus.json",
        {"architectures": ["WavLMForSequenceClassification"], "use_weighted_layer_sum": True},
    ),
    (
        "encoders/hubert/chinese-hubert-base.json",
        {
            "architectures": ["HubertForCTC"],
            "do_stable_layer_norm": True,
            "feat_extract_norm": "layer",
            "conv_bias": True,
            "feat_proj_layer_norm": False,
        },
    ),
    (
        "encoders/hubert/chinese-hubert-base.json",
        {
            "architectures": ["HubertForSequenceClassification"],
            "use_weighted_layer_sum": True,
            "conv_pos_batch_norm": True,
            "mask_time_prob": 0.0,
        },
    ),
    ("encoders/hubert/chinese-hubert-base.json", {"conv_pos_batch_norm": True}),
    (
        "encoders/clip_text_model/stable-diffusion-v1-5-text_encoder.json",
        {"architectures": ["CLIPTextModelWithProjection"]},
    ),
    (
        "encoders/mobilebert/mobilebert-uncased-mnli.json",
        {"architectures": ["MobileBertForPreTraining"], "classifier_activation": True},
    ),
    (
        "encoders/mobilebert/mobilebert-uncased-mnli.json",
        {"architectures": ["MobileBertForQuestionAnswering"], "key_query_shared_bottleneck": False},
    ),
]


def collapse(name: str) -> str:
    """A name with every index replaced by {}: model.layers.{}.mlp.experts.{}.w1.weight."""
    return re.sub(r"(?<=\.)\d+(?=\.)", "{}", name)


def patterns(named: list[tuple[str, list[int]]]) -> dict[str, list]:
    grouped: dict[str, dict[str, int]] = {}
    for name, shape in named:
        counts = grouped.setdefault(collapse(name), {})
        counts[json.dumps(shape)] = counts.get(json.dumps(shape), 0) + 1
    return {p: [[json.loads(s), n] for s, n in sorted(c.items())] for p, c in grouped.items()}


def digest(named: list[tuple[str, list[int]]]) -> str:
    """sha256 over the sorted lines "name d0,d1,...": equal exactly when names and shapes are."""
    lines = sorted(f"{name} {','.join(map(str, shape))}" for name, shape in named)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def saved_names(model, named: list[tuple[str, list[int]]]) -> list[tuple[str, list[int]]]:
    """The parameter names as save_pretrained writes them for a multimodal class: its
    _checkpoint_conversion_mapping reversed, first matching pattern only (transformers
    4.57.6, modeling_utils.save_pretrained)."""
    reverse = {v: k for k, v in model._checkpoint_conversion_mapping.items()}
    out = []
    for name, shape in named:
        for pattern, replacement in reverse.items():
            replacement = re.sub(r"\(.*\)", "", replacement.lstrip("^"))
            name, n = re.subn(pattern, replacement, name)
            if n:
                break
        out.append((name, shape))
    return out


def record(fields: dict) -> dict:
    _, model = build_model(fields)
    return model_record(model)


def model_record(model) -> dict:
    """The names record of a built model (also for remote code: tools/make_golden_remote.py)."""
    named = [(name, list(p.shape)) for name, p in model.named_parameters()]
    by_id = {id(p): name for name, p in model.named_parameters()}
    params = {name for name, _ in named}
    copies, buffers = {}, []
    for name, tensor in model.state_dict(keep_vars=True).items():
        if name in params:
            continue
        if id(tensor) in by_id:
            copies[name] = list(tensor.shape)
        else:
            buffers.append((name, list(tensor.shape)))
    entry = {
        "sha256": digest(named),
        "count": len(named),
        "patterns": patterns(named),
        "copies": copies,
        "buffers": patterns(buffers),
    }
    conversion = getattr(model, "_checkpoint_conversion_mapping", None)
    if conversion:
        entry["conversion"] = [list(pair) for pair in conversion.items()]  # in order: first match wins
        entry["saved"] = patterns(saved_names(model, named))
    return entry


def config_path(key: str) -> Path:
    """A recorded config's file: under tests/hf/configs/, or under tests/hf/ (composite/, encoders/)."""
    return CONFIGS / key if (CONFIGS / key).exists() else HF / key


def unknown_type(fields: dict) -> bool:
    """Whether the running transformers lacks the config's model type (and any class it names),
    or its text model's."""
    import transformers
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES

    named = [getattr(transformers, name, None) for name in fields.get("architectures") or ()]
    if fields["model_type"] not in CONFIG_MAPPING_NAMES and not any(named):
        return True
    # a composite whose text model only a later release has (mistral3 over ministral3), unless
    # its config class builds that text config itself (BLIP's blip_text_model, unregistered in 4.57)
    text_type = (fields.get("text_config") or {}).get("model_type")
    if text_type is None or text_type in CONFIG_MAPPING_NAMES:
        return False
    try:
        transformers.AutoConfig.for_model(
            fields["model_type"], **{k: v for k, v in fields.items() if k != "model_type"}
        )
    except (KeyError, ValueError):
        return True
    return False


def compute(only: str | None = None, previous: dict | None = None, fallback: str | None = None) -> dict:
    import torch
    import transformers

    meta = {"transformers": transformers.__version__, "torch": torch.__version__}
    # --only with another release (a type only transformers 5 has) keeps the file's _meta and
    # records the release on the entries it builds
    out: dict = {"_meta": previous["_meta"] if only and previous else meta}
    composite = json.loads((HF / "composite" / "golden.json").read_text())
    not_built = {f"composite/{k}": v.get("not_in", ()) for k, v in composite.items() if k != "_meta"}
    # a file that means another release's count (LFM2.5-VL: 5.x's, whose in-memory names differ)
    meant = {f"composite/{k}": v.get("means", "").split(":")[0] for k, v in composite.items() if k != "_meta"}
    jobs = [(p.relative_to(CONFIGS).as_posix(), {}) for p in sorted(CONFIGS.rglob("*.json"))]
    for folder in FOLDERS:
        jobs += [(p.relative_to(HF).as_posix(), {}) for p in sorted(folder.glob("*/*.json"))]
    for folder in OWN_ONLY:
        jobs += [(p.relative_to(HF).as_posix(), {}) for p in sorted(folder.glob("*.json"))]
    elsewhere = []
    for key, overrides in jobs + VARIANTS:
        label = key + "".join(f"+{k}={json.dumps(v)}" for k, v in overrides.items())
        if only and not key.startswith(only):  # kept as recorded (or left out until recorded)
            if previous and label in previous:
                out[label] = previous[label]
            continue
        fields = {**json.loads(config_path(key).read_text()), **overrides}
        if unknown_type(fields):
            if not fallback:
                raise SystemExit(f"{label}: transformers {transformers.__version__} lacks it; pass --fallback-python")
            elsewhere.append(json.dumps([key, overrides]))
            continue
        if meant.get(key) not in (None, "", transformers.__version__):
            print(f"{label}: the file means transformers {meant[key]}'s model; skipped", file=sys.stderr)
            continue
        if transformers.__version__ in not_built.get(key, ()):
            # a file in a later release's format (Qwen3-VL-235B as transformers 5 prints it);
            # its names are checked against the published checkpoint's listing instead
            print(f"{label}: transformers {transformers.__version__} cannot build it; skipped", file=sys.stderr)
            continue
        out[label] = {"config": key, "overrides": overrides, **record(fields)}
        print(f"{label}: {out[label]['count']} tensors", file=sys.stderr)
    if elsewhere:  # built by the release that has the type, and marked with its version
        argv = [str(fallback), str(Path(__file__).resolve()), "--raw", *elsewhere]
        out.update(json.loads(subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=True).stdout))
    return out


def raw(jobs: list[str]) -> dict:
    """Entries for `jobs` (each a JSON [key, overrides]) from this interpreter, each naming its
    transformers."""
    import transformers

    out = {}
    for job in jobs:
        key, overrides = json.loads(job)
        label = key + "".join(f"+{k}={json.dumps(v)}" for k, v in overrides.items())
        fields = {**json.loads(config_path(key).read_text()), **overrides}
        out[label] = {"config": key, "overrides": overrides, "transformers": transformers.__version__, **record(fields)}
        print(f"{label}: {out[label]['count']} tensors (transformers {transformers.__version__})", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if --output differs from a fresh run")
    parser.add_argument("--only", help="rebuild only the configs whose key starts with this; keep the others")
    parser.add_argument("--fallback-python", help="interpreter whose transformers builds the types this one lacks")
    parser.add_argument("--raw", nargs="+", help=argparse.SUPPRESS)  # these keys' entries, to stdout
    args = parser.parse_args(argv)
    if args.raw:
        print(json.dumps(raw(args.raw)))
        return 0
    previous = json.loads(args.output.read_text()) if args.only and args.output.exists() else None
    text = json.dumps(compute(args.only, previous, args.fallback_python), indent=1, sort_keys=True) + "\n"
    return write_or_check(args.output, text, args.check)


if __name__ == "__main__":
    sys.exit(main())
