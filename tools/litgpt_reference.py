"""LitGPT's named configs as data, and reference counts from LitGPT's own model code.

Run in a scratch virtualenv with litgpt (nothing is downloaded; the model is built on the
meta device, so no memory is used):

    python -m venv /work/scratch/venv-litgpt
    /work/scratch/venv-litgpt/bin/pip install torch==2.13.0 litgpt==0.5.13
    /work/scratch/venv-litgpt/bin/python tools/litgpt_reference.py [CONFIG.yaml ...]

It writes
- `param_lint/dialects/litgpt_configs.json`: for each of `litgpt.config.configs`, the keys
  it sets that decide a count (Config's own defaults fill the rest, as Config does);
- `tests/frameworks/litgpt_golden.json`: `sum(p.numel() for p in GPT(config).parameters())`
  for every named config, and for each CONFIG.yaml given (a pretrain YAML: `model_config`,
  else `model_name`, with `train.tie_embeddings` applied as litgpt/pretrain.py does; or a
  checkpoint `model_config.yaml`), keyed by file name.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import version
from pathlib import Path

import torch
import yaml
from litgpt.config import Config, configs
from litgpt.model import GPT

ROOT = Path(__file__).resolve().parents[1]
# Config fields that decide the count; the rest (rope, softcapping, block_size ...) do not.
COUNT_KEYS = (
    "name",
    "n_layer",
    "n_embd",
    "n_head",
    "head_size",
    "n_query_groups",
    "vocab_size",
    "padding_multiple",
    "padded_vocab_size",
    "intermediate_size",
    "moe_intermediate_size",
    "bias",
    "attn_bias",
    "lm_head_bias",
    "norm_class_name",
    "mlp_class_name",
    "parallel_residual",
    "shared_attention_norm",
    "norm_1",
    "norm_2",
    "post_attention_norm",
    "post_mlp_norm",
    "norm_qk",
    "norm_qk_type",
    "n_expert",
    "n_expert_per_token",
    "n_shared_expert",
    "n_expert_groups",
    "first_k_dense_replace",
    "latent_attention",
)


def count(config: Config, tie: bool = False) -> int:
    with torch.device("meta"):
        model = GPT(config)
    if tie:
        model.transformer.wte.weight = model.lm_head.weight  # as litgpt/pretrain.py does
    return sum(p.numel() for p in model.parameters())


def from_file(path: Path) -> tuple[Config, bool]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "n_embd" in data:  # a checkpoint's model_config.yaml
        return Config(**data), False
    tie = bool((data.get("train") or {}).get("tie_embeddings"))
    if data.get("model_config"):
        return Config(**data["model_config"]), tie
    return Config.from_name(data["model_name"]), tie


def main(paths: list[str]) -> None:
    versions = {"litgpt": version("litgpt"), "torch": version("torch")}
    named = []
    for raw in configs:
        entry = {key: raw[key] for key in COUNT_KEYS if key in raw}
        hf = raw.get("hf_config") or {}
        if hf.get("org") and hf.get("name"):
            entry["hf"] = f"{hf['org']}/{hf['name']}"
        named.append(entry)
    data_path = ROOT / "param_lint" / "dialects" / "litgpt_configs.json"
    data = {"source": f"litgpt {versions['litgpt']} litgpt.config.configs", "configs": named}
    data_path.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    golden = {
        "versions": versions,
        "named": {raw["name"]: count(Config(**raw)) for raw in configs},
        "files": {},
    }
    for name in paths:
        config, tie = from_file(Path(name))
        golden["files"][Path(name).name] = count(config, tie)
    out = ROOT / "tests" / "frameworks" / "litgpt_golden.json"
    out.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {data_path} ({len(named)} configs) and {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
