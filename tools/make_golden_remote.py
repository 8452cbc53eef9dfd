"""Golden counts for remote-code models, from the model's own code (trust_remote_code files).

What: for every ``tests/hf/remote/<model_type>/<name>.json`` (a published ``config.json`` whose
model lives in the hub repository's own ``modeling_*.py``, not in transformers), load that
code from a folder of copies (``--code``, default ``/work/scratch/remote-code``, one
sub-folder per model_type: never part of this repository), build its config class from the
JSON, instantiate the class ``architectures`` names on the ``meta`` device and record

* ``total``: ``sum(p.numel() for p in model.parameters())`` (tied weights once, no buffers);
* ``class``, ``transformers``, ``torch``: what built it;
* ``code``: where each code file was copied from (repository, path, commit, as the code
  search tool's read_file reports them) and the names stubbed (below);
* ``alias_of``: the transformers family param-lint counts it as (from ``CODE``; the count is
  param-lint's claim, this file only records the truth it is compared with);
* ``config``, ``overrides``: the file, and the keys a variant sets over it (``VARIANTS``);
* ``sha256``, ``count``, ``patterns``, ``copies``, ``buffers``: the parameter names and shapes,
  as ``tools/make_tensor_names.py`` records them for native families.

Stubs: a helper module the modeling file imports only for chat or generation (Qwen's
``qwen_generation_utils``: prompt building and stop words, nothing that holds a parameter) is
replaced by a module exposing the imported names as placeholders, so the copy of the modeling
file itself stays verbatim. ``CODE`` lists every stub; the golden file records them.

Why: param-lint counts these models as a supported family under other key names (an alias);
the numbers it is tested against must come from the model's own code, not from that mapping.

How to run (torch, transformers and the model's own imports, e.g. einops, only here)::

    python3 -m venv /work/scratch/venv-remote
    /work/scratch/venv-remote/bin/pip install torch==2.13.0 transformers==4.57.6 einops accelerate
    /work/scratch/venv-remote/bin/python tools/make_golden_remote.py          # (re)write
    /work/scratch/venv-remote/bin/python tools/make_golden_remote.py --check  # exit 1 if stale
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated import write_or_check  # noqa: E402
from make_tensor_names import model_record  # noqa: E402  (the same records as native families)

REPO = Path(__file__).resolve().parent.parent
CONFIGS = REPO / "tests" / "hf" / "remote"
OUTPUT = REPO / "tests" / "hf" / "golden_remote.json"
DEFAULT_CODE = Path("/work/scratch/remote-code")

# Per model_type: the code files (copied verbatim into <code>/<model_type>/), where each was
# read, the config and model classes (and the model's constructor arguments), the helper
# modules stubbed, and the family param-lint counts the type as.
CODE: dict[str, dict] = {
    "qwen": {
        "files": {
            "modeling_qwen.py": {
                "repo": "mapengAdam/qianwen-72B",
                "path": "modeling_qwen.py",
                "commit": "3334bfe3d6d9d445cbe54185cd6aaef7e1e3c068",
                "chars": 57345,
            },
            "configuration_qwen.py": {
                "repo": "ds-llo/qwcs",
                "path": "configuration_qwen.py",
                "commit": "443804a5f97821a5d55810193459882df0c70759",
                "chars": 2346,
            },
        },
        "config": "configuration_qwen.QWenConfig",
        "class": "modeling_qwen.QWenLMHeadModel",  # auto_map's AutoModelForCausalLM, as architectures says
        "kwargs": {},
        "stubs": {
            "qwen_generation_utils": [
                "HistoryType",
                "make_context",
                "decode_tokens",
                "get_stop_words_ids",
                "StopWordsLogitsProcessor",
            ],
        },
        "alias_of": "qwen2",
    },
    # ChatGLM2-6B's code, for ChatGLM2/3 and CodeGeeX2 alike (the later copies add prefix
    # tuning and a classification head, no parameter of these configs).
    "chatglm": {
        "files": {
            "modeling_chatglm.py": {
                "repo": "syjjhl/chatglm2-6b",
                "path": "modeling_chatglm.py",
                "commit": "189e5df1609cdbd1704e7d0204301ad4c7791f61",
                "chars": 46975,
            },
            "configuration_chatglm.py": {
                "repo": "syjjhl/chatglm2-6b",
                "path": "configuration_chatglm.py",
                "commit": "a5172e3b837cbae04af59d3db7810e166cfa955a",
                "chars": 2177,
            },
        },
        "config": "configuration_chatglm.ChatGLMConfig",
        # What auto_map's AutoModel loads (the published checkpoints' transformer.* names);
        # `architectures` says ChatGLMModel, which holds the same parameters unprefixed.
        "class": "modeling_chatglm.ChatGLMForConditionalGeneration",
        # empty_init=False: build the modules where torch's default device says (meta), not
        # with skip_init, which would allocate them on the CPU.
        "kwargs": {"empty_init": False},
        "stubs": {},
        "alias_of": "qwen2",
    },
    # Baichuan2-13B's code (ALiBi positions, no parameter; NormHead lm_head), as shipped with
    # a Baichuan2-13B-based model (CRLF line endings, as read).
    "baichuan": {
        "files": {
            "modeling_baichuan.py": {
                "repo": "Egber1t/Ting-Gong1.0",
                "path": "modeling_baichuan.py",
                "commit": "0f2d0dd6b67a506c4fb23af789e54beaaff73ef0",
                "chars": 33346,
            },
            "configuration_baichuan.py": {
                "repo": "Egber1t/Ting-Gong1.0",
                "path": "configuration_baichuan.py",
                "commit": "0f2d0dd6b67a506c4fb23af789e54beaaff73ef0",
                "chars": 1608,
            },
        },
        "config": "configuration_baichuan.BaichuanConfig",
        "class": "modeling_baichuan.BaichuanForCausalLM",
        "kwargs": {},
        # chat prompt building and a streamer, imported for `chat` only
        "stubs": {"generation_utils": ["build_chat_input", "TextIterStreamer"]},
        "alias_of": "llama",
    },
    # MiniCPM-1/2's code (scale_emb, scale_depth, dim_model_base: multipliers, no parameter),
    # the authors' copy in their GitHub repository; the hub snapshot's configuration file
    # (datawhalechina/llms-from-scratch-cn, 9,746 characters) differs only after __init__'s
    # super() call (its flash_attn probe), so this one builds the same model.
    "minicpm": {
        "files": {
            "modeling_minicpm.py": {
                "repo": "OpenBMB/MiniCPM",
                "path": "model/modeling_minicpm.py",
                "commit": "5977a63783814ae3478cbbf53d52071ac2837522",
                "chars": 67859,
            },
            "configuration_minicpm.py": {
                "repo": "OpenBMB/MiniCPM",
                "path": "model/configuration_minicpm.py",
                "commit": "5977a63783814ae3478cbbf53d52071ac2837522",
                "chars": 9770,
            },
        },
        "config": "configuration_minicpm.MiniCPMConfig",
        "class": "modeling_minicpm.MiniCPMForCausalLM",
        "kwargs": {},
        "stubs": {},
        "alias_of": "llama",
    },
}


# Options the published configs leave off, switched on over one of them (key: config+overrides).
VARIANTS: list[tuple[str, dict]] = [
    ("qwen/qwen-7b.json", {"no_bias": False}),
    ("qwen/qwen-7b.json", {"tie_word_embeddings": True}),
    ("chatglm/chatglm3-6b.json", {"multi_query_attention": False}),
    ("chatglm/chatglm3-6b.json", {"add_bias_linear": True}),
    ("chatglm/chatglm3-6b.json", {"add_qkv_bias": False}),
    ("chatglm/chatglm3-6b.json", {"rmsnorm": False, "post_layer_norm": False}),
    ("chatglm/chatglm3-6b.json", {"tie_word_embeddings": True}),  # the code never ties: still untied
    ("baichuan/disc-finllm.json", {"tie_word_embeddings": True}),
    ("minicpm/minicpm-2b.json", {"tie_word_embeddings": False}),
    ("minicpm/minicpm-2b.json", {"num_key_value_heads": 4}),
    ("minicpm/minicpm-2b.json", {"attention_bias": True}),
]


def load_package(model_type: str, code: Path) -> str:
    """Import <code>/<model_type>/ as a package (as transformers' dynamic modules do),
    with the stubbed helper modules in place; returns the package name."""
    spec = CODE[model_type]
    folder = code / model_type
    for name, source in spec["files"].items():
        with open(folder / name, encoding="utf-8", newline="") as file:  # as read: CRLF counts
            text = file.read()
        if len(text) != source["chars"]:
            raise ValueError(f"{folder / name}: {len(text)} characters, the copy read had {source['chars']}")
    package = f"remote_code_{model_type}"
    module = types.ModuleType(package)
    module.__path__ = [str(folder)]
    sys.modules[package] = module
    for stub, names in spec["stubs"].items():
        helper = types.ModuleType(f"{package}.{stub}")
        for name in names:
            setattr(helper, name, type(name, (), {}))
        sys.modules[f"{package}.{stub}"] = helper
    return package


def attribute(package: str, dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(f"{package}.{module}"), name)


def model_type_of(key: str, fields: dict) -> str:
    """The file's model_type; a config without one (MiniCPM-2B's) is the type whose config
    class its auto_map's AutoConfig names, as transformers loads it."""
    folder = Path(key).parent.name
    if "model_type" not in fields and fields.get("auto_map", {}).get("AutoConfig") == CODE.get(folder, {}).get(
        "config"
    ):
        return folder
    if fields.get("model_type") != folder:
        raise ValueError(f"{key}: model_type {fields.get('model_type')!r} != folder name")
    return folder


def record(model_type: str, fields: dict, code: Path) -> dict:
    import torch
    import transformers

    spec = CODE[model_type]
    package = load_package(model_type, code)
    config_class = attribute(package, spec["config"])
    kwargs = {k: v for k, v in fields.items() if k not in ("model_type", "auto_map")}
    cfg = config_class(**kwargs)
    cls = attribute(package, spec["class"])
    with torch.device("meta"):
        model = cls(cfg, **spec["kwargs"])
    return {
        "model_type": model_type,
        "alias_of": spec["alias_of"],
        "total": sum(p.numel() for p in model.parameters()),
        "class": type(model).__name__,
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "code": {"files": spec["files"], "stubs": spec["stubs"], "kwargs": spec["kwargs"]},
        **model_record(model),
    }


def compute(code: Path) -> dict:
    """Entries keyed by config path under tests/hf/remote/, a variant's `+key=value` appended."""
    out = {}
    jobs = [(path.relative_to(CONFIGS).as_posix(), {}) for path in sorted(CONFIGS.glob("*/*.json"))]
    for key, overrides in jobs + VARIANTS:
        fields = {**json.loads((CONFIGS / key).read_text()), **overrides}
        model_type = model_type_of(key, fields)
        label = key + "".join(f"+{k}={json.dumps(v)}" for k, v in overrides.items())
        out[label] = {"config": key, "overrides": overrides, **record(model_type, fields, code)}
        print(
            f"{label}: {out[label]['total']:,} ({out[label]['class']}, {out[label]['count']} tensors)", file=sys.stderr
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, default=DEFAULT_CODE, help="folder of <model_type>/ code copies")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if --output differs from a fresh run")
    args = parser.parse_args(argv)
    text = json.dumps(compute(args.code), indent=1, sort_keys=True) + "\n"
    return write_or_check(args.output, text, args.check)


if __name__ == "__main__":
    sys.exit(main())
