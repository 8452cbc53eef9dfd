"""LitGPT: pretrain/finetune YAML (`model_config`, `model_name`) and checkpoint `model_config.yaml`.

`litgpt pretrain` builds `Config(**model_config)`, or `Config.from_name(model_name)` when no
`model_config` is given, and ties the unembedding to the embedding only when
`train.tie_embeddings` is true. A checkpoint's `model_config.yaml` is a Config itself.
LitGPT's named configs ship as data (`litgpt_configs.json`, written by
`tools/litgpt_reference.py` from the litgpt package). Config's own rules apply: the
vocabulary is `padded_vocab_size`, or `vocab_size` rounded up to `padding_multiple`
(default 512); `head_size` defaults to n_embd // n_head, `n_query_groups` to n_head,
`intermediate_size` to 4 * n_embd (LLaMAMLP must give it). `mlp_class_name` picks the MLP:
GptNeoxMLP (two matrices), LLaMAMLP and GemmaMLP (gated), LLaMAMoE (gated experts of width
`moe_intermediate_size`, a bias-free router, `n_shared_expert` shared experts,
`first_k_dense_replace` dense layers). `bias` covers every projection, `attn_bias` adds the
Q/K/V biases alone. Norms are torch LayerNorms (weight and bias) or RMSNorms (weight); a
LayerNorm in a config whose name contains "OLMo" has no parameters, as in LitGPT.
A fine-tuning recipe (`checkpoint_dir`) holds no architecture: it is recognised and cannot
be counted (the checkpoint's `model_config.yaml` can).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from ..architecture import Architecture
from . import CannotCount, Dialect, Facts, ModelConfig, Reader

# litgpt.Config defaults (litgpt 0.5.13) of the fields that decide a count.
DEFAULTS: dict[str, Any] = {
    "name": "",
    "n_layer": 16,
    "n_embd": 4096,
    "n_head": 32,
    "head_size": None,
    "n_query_groups": None,
    "vocab_size": 50254,
    "padding_multiple": 512,
    "padded_vocab_size": None,
    "intermediate_size": None,
    "moe_intermediate_size": None,
    "bias": True,
    "attn_bias": False,
    "lm_head_bias": False,
    "norm_class_name": "LayerNorm",
    "mlp_class_name": "GptNeoxMLP",
    "parallel_residual": True,
    "shared_attention_norm": False,
    "norm_1": True,
    "norm_2": True,
    "post_attention_norm": False,
    "post_mlp_norm": False,
    "norm_qk": False,
    "norm_qk_type": "default",
    "n_expert": 0,
    "n_expert_per_token": 0,
    "n_shared_expert": None,
    "first_k_dense_replace": None,
    "latent_attention": None,
}
MLPS = ("GptNeoxMLP", "LLaMAMLP", "GemmaMLP", "LLaMAMoE")
CHECKPOINT_KEYS = ("mlp_class_name", "norm_class_name", "padded_vocab_size", "n_query_groups", "parallel_residual")


@cache
def named_configs() -> dict[str, dict[str, Any]]:
    """LitGPT's named configs by name and by `org/name`, as Config.from_name finds them."""
    text = resources.files(__package__).joinpath("litgpt_configs.json").read_text(encoding="utf-8")
    by_name: dict[str, dict[str, Any]] = {}
    for entry in json.loads(text)["configs"]:
        config = {key: value for key, value in entry.items() if key != "hf"}
        by_name[entry["name"]] = config
        if "hf" in entry:
            by_name.setdefault(entry["hf"], config)
    return by_name


def recognise(data: dict[str, Any]) -> bool:
    """A `litgpt pretrain/finetune` YAML, or a checkpoint's model_config.yaml."""
    if "n_embd" in data and "n_layer" in data and any(key in data for key in CHECKPOINT_KEYS):
        return True
    recipe = any(key in data for key in ("model_name", "model_config", "checkpoint_dir"))
    return recipe and isinstance(data.get("train"), Mapping) and "out_dir" in data


def read(top: Reader, facts: Facts) -> ModelConfig:
    if "n_embd" in top.data:  # a checkpoint's model_config.yaml
        return ModelConfig(
            "litgpt",
            architecture(top),
            top.sources,
            name=str(top.data.get("name") or ""),
            family="checkpoint",
            notes=padding_notes(top),
        )
    tie = top.mapping("train").boolean("tie_embeddings", False, field="tie_embeddings")
    if top.has("model_config"):
        r = top.mapping("model_config")
    elif top.has("model_name"):
        name = top.string("model_name")
        config = named_configs().get(name)
        if config is None:
            raise CannotCount(top.path("model_name"), f"model_name {name!r} is not one of LitGPT's named configs")
        r = Reader(config, top.path("model_name"), top.sources)  # findings point at model_name
    else:
        raise CannotCount(
            top.path("checkpoint_dir"),
            "a LitGPT fine-tuning recipe: the architecture is the checkpoint's model_config.yaml, count that file",
        )
    arch = architecture(r, tie)
    name = str(r.data.get("name") or "")
    return ModelConfig("litgpt", arch, top.sources, name=name, family="pretrain", notes=padding_notes(r))


def architecture(r: Reader, tie: bool = False) -> Architecture:
    """Config(**fields) -> Architecture, with Config's defaults and __post_init__ rules."""
    d = DEFAULTS
    name = r.data.get("name") or ""
    n_embd = r.integer("n_embd", d["n_embd"], field="d_model", minimum=1)
    n_head = r.integer("n_head", d["n_head"], field="n_head", minimum=1)
    if r.has("head_size"):
        head_size = r.integer("head_size", field="d_head", minimum=1)
    else:
        if n_embd % n_head:
            r.fail("n_head", f"n_embd ({n_embd}) is not a multiple of n_head ({n_head}) and no head_size is given")
        head_size = n_embd // n_head
        r.note("d_head", "n_embd")
    groups = r.integer("n_query_groups", n_head, field="n_kv_head", minimum=1)
    if n_head % groups:
        r.fail("n_query_groups", f"n_head ({n_head}) is not a multiple of n_query_groups ({groups})")
    mlp_class = r.string("mlp_class_name", d["mlp_class_name"], field="mlp", choices=MLPS)
    if r.has("intermediate_size"):
        d_ff = r.integer("intermediate_size", field="d_ff", minimum=1)
    elif mlp_class == "LLaMAMLP":
        r.fail("intermediate_size", "LLaMAMLP needs intermediate_size (LitGPT refuses the config without it)")
    else:
        d_ff = 4 * n_embd
        r.note("d_ff", "n_embd")
    norm_class = r.string("norm_class_name", d["norm_class_name"], field="norm", choices=("LayerNorm", "RMSNorm"))
    norm = "rmsnorm" if norm_class == "RMSNorm" else "none" if "OLMo" in str(name) else "layernorm"
    bias = r.boolean("bias", d["bias"], field="out_bias")
    r.note("mlp_bias", "bias")
    qkv_bias = bias or r.boolean("attn_bias", d["attn_bias"], field="qkv_bias")
    if bias:
        r.note("qkv_bias", "bias")
    parallel = r.boolean("parallel_residual", d["parallel_residual"], field="norms_per_layer")
    shared_norm = r.boolean("shared_attention_norm", d["shared_attention_norm"], field="norms_per_layer")
    if shared_norm and not parallel:
        r.fail("shared_attention_norm", "LitGPT refuses shared_attention_norm without parallel_residual")
    norms = sum(
        (
            r.boolean("norm_1", True, field="norms_per_layer"),
            r.boolean("norm_2", True, field="norms_per_layer") and not shared_norm,
            r.boolean("post_attention_norm", False, field="norms_per_layer"),
            r.boolean("post_mlp_norm", False, field="norms_per_layer"),
        )
    )
    qk_norm = "none"
    if r.boolean("norm_qk", False, field="qk_norm"):
        kind = r.string("norm_qk_type", "default", field="qk_norm", choices=("default", "olmo2"))
        qk_norm = "per_head" if kind == "olmo2" else "head"
    arch: dict[str, Any] = {
        "n_vocab": vocabulary(r),
        "n_layer": r.integer("n_layer", d["n_layer"], field="n_layer", minimum=1),
        "d_model": n_embd,
        "n_head": n_head,
        "d_head": head_size,
        "n_kv_head": groups,
        "d_ff": d_ff,
        "position_embedding": "rotary",
        "tie_embeddings": tie,
        "lm_head_bias": r.boolean("lm_head_bias", d["lm_head_bias"], field="lm_head_bias"),
        "qkv_bias": qkv_bias,
        "out_bias": bias,
        "qk_norm": qk_norm,
        "qk_norm_bias": norm == "layernorm",
        "mlp": "standard" if mlp_class == "GptNeoxMLP" else "gated",
        "mlp_bias": bias,
        "norm": norm,
        "norms_per_layer": norms,
    }
    if mlp_class == "LLaMAMoE":
        arch.update(experts(r, d_ff, arch["n_layer"]))
    if r.has("latent_attention"):
        arch.update(latent_attention(r, n_head, groups, bias, qkv_bias, norm))
    return Architecture(**arch)


def vocabulary(r: Reader) -> int:
    """padded_vocab_size, else vocab_size rounded up to a multiple of padding_multiple."""
    if r.has("padded_vocab_size"):
        return int(r.integer("padded_vocab_size", field="n_vocab", minimum=1))
    vocab = r.integer("vocab_size", DEFAULTS["vocab_size"], field="n_vocab", minimum=1)
    multiple = r.integer("padding_multiple", DEFAULTS["padding_multiple"], field="n_vocab", minimum=1)
    return int(-(-vocab // multiple) * multiple)


def padding_notes(r: Reader) -> tuple[str, ...]:
    """How Config padded the vocabulary, for --breakdown (nothing when it did not)."""
    vocab, padded = r.data.get("vocab_size") or DEFAULTS["vocab_size"], vocabulary(r)
    if not isinstance(vocab, int) or vocab >= padded:
        return ()
    multiple = r.data.get("padding_multiple") or DEFAULTS["padding_multiple"]
    rule = "padded_vocab_size" if r.has("padded_vocab_size") else f"padding_multiple {multiple}"
    return (f"vocabulary {vocab:,} padded to {padded:,} ({rule}): {padded - vocab:,} padding rows",)


def experts(r: Reader, d_ff: int, n_layer: int) -> dict[str, Any]:
    n_expert = r.integer("n_expert", 0, field="n_expert", minimum=1)
    top_k = r.integer("n_expert_per_token", 0, field="n_expert_per_token", minimum=1)
    if top_k > n_expert:
        r.fail("n_expert_per_token", f"{top_k} experts per token exceeds the {n_expert} experts")
    width = r.integer("moe_intermediate_size", d_ff, field="d_ff_expert", minimum=1)
    shared = r.integer("n_shared_expert", 0, field="d_ff_shared", minimum=0)
    dense = r.integer("first_k_dense_replace", 0, field="n_dense_layer", minimum=0)
    return {
        "n_expert": n_expert,
        "n_expert_per_token": top_k,
        "d_ff_expert": width,
        "d_ff_shared": shared * width,
        "n_dense_layer": min(dense, n_layer),
    }


def latent_attention(r: Reader, n_head: int, groups: int, bias: bool, qkv_bias: bool, norm: str) -> dict[str, Any]:
    """DeepSeek-style latent attention, as LitGPT's MultiheadLatentAttention builds it."""
    if bias or qkv_bias or norm != "rmsnorm" or groups != n_head:
        raise CannotCount(
            r.path("latent_attention"),
            "latent_attention is counted only without biases, with RMSNorm and n_query_groups = n_head",
        )
    latent = r.mapping("latent_attention")
    rope = latent.integer("qk_rope_head_dim", field="d_head_rope", minimum=1)
    return {
        "d_head": latent.integer("qk_nope_head_dim", field="d_head", minimum=1) + rope,
        "d_head_rope": rope,
        "d_head_v": latent.integer("v_head_dim", field="d_head_v", minimum=1),
        "q_lora_rank": latent.integer("q_lora_rank", field="q_lora_rank", minimum=1),
        "kv_lora_rank": latent.integer("kv_lora_rank", field="kv_lora_rank", minimum=1),
    }


DIALECT: Dialect = Dialect(
    name="litgpt",
    description="LitGPT pretrain/finetune YAML (model_config, model_name) and checkpoint model_config.yaml",
    recognise=recognise,
    read=read,
    hints=("model_config", "n_embd", "mlp_class_name", "padded_vocab_size"),
    declarations_in_file=False,
)
