"""nanotron: training YAML whose `model.model_config` is a Llama or Qwen2 config.

nanotron's model configs use transformers' key names (`hidden_size`, `num_attention_heads`
...), marked by `is_llama_config` or `is_qwen2_config`; its Llama is transformers' Llama,
and its Qwen2 is a Llama with Q/K/V biases only when `attention_bias` is true (transformers'
Qwen2 always has them). nanotron's defaults for both are its LlamaConfig's (vocab_size
32000, intermediate_size 11008, num_key_value_heads = num_attention_heads), which differ
from transformers' Qwen2 defaults, so they are filled in before the family counts. The
trainer pads the vocabulary to a multiple of `model.make_vocab_size_divisible_by` times the
tensor-parallel size `parallelism.tp` (`--breakdown` shows it); the parallel sizes also feed
the launch-time checks (PL4xx). A `moe_config` (nanotron's Qwen2 MoE, whose layer
has changed between releases) is recognised and not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..parallel import Parallel, VocabPadding
from . import CannotCount, Dialect, Facts, ModelConfig, Reader
from .mirror import hf_architecture

# nanotron LlamaConfig / Qwen2Config defaults for the keys that decide a count.
DEFAULTS: dict[str, Any] = {
    "vocab_size": 32000,
    "hidden_size": 4096,
    "intermediate_size": 11008,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": None,
    "max_position_embeddings": 2048,
    "tie_word_embeddings": False,
}
FLAGS = ("is_llama_config", "is_qwen2_config", "is_starcoder2_config")


def recognise(data: dict[str, Any]) -> bool:
    model = data.get("model")
    return (
        isinstance(model, Mapping)
        and isinstance(model.get("model_config"), Mapping)
        and (any(flag in model["model_config"] for flag in FLAGS) or "parallelism" in data or "general" in data)
    )


def read(top: Reader, facts: Facts) -> ModelConfig:
    model = top.mapping("model")
    r = model.mapping("model_config")
    parallel = parallel_sizes(top, r, facts)
    if r.boolean("is_llama_config", False):
        family = "llama"
    elif r.boolean("is_qwen2_config", False):
        family = "qwen2"
    else:
        raise cannot(
            parallel, r.base, "nanotron model_config is counted for is_llama_config and is_qwen2_config models"
        )
    if r.has("moe_config"):
        raise cannot(
            parallel,
            r.path("moe_config"),
            "nanotron's mixture-of-experts layer (moe_config) is not counted: its experts' width is not in the "
            "file and depends on the nanotron release (intermediate_size in its first Qwen2 MoE, "
            "moe_config.moe_intermediate_size and shared_expert_intermediate_size in nanotron.nn.moe)",
        )
    bias = r.boolean("attention_bias", False, field="qkv_bias")
    if family == "llama" and bias:
        raise cannot(parallel, r.path("attention_bias"), "nanotron Llama with attention_bias is not counted")
    values = {key: r.data[key] if r.has(key) else default for key, default in DEFAULTS.items()}
    if values["num_key_value_heads"] is None:
        values["num_key_value_heads"] = values["num_attention_heads"]
    padding = vocab_padding(model, values["vocab_size"], parallel)
    if padding is not None:
        values["vocab_size"] = padding.padded
    keys = {key: key for key in DEFAULTS}
    arch = hf_architecture(r, "qwen2" if bias else "llama", values, keys)
    notes = (padding.describe(),) if padding is not None and padding.rows else ()
    return ModelConfig(
        "nanotron", arch, top.sources, family=family, parallel=parallel, vocab_padding=padding, notes=notes
    )


def cannot(parallel: Parallel, path: tuple[str | int, ...], message: str) -> CannotCount:
    """A CannotCount that still hands the launch-time checks the parallel sizes."""
    error = CannotCount(path, message)
    error.parallel = parallel  # type: ignore[attr-defined]  # read by parallel.launch_sizes
    return error


def vocab_padding(model: Reader, vocab: Any, parallel: Parallel) -> VocabPadding | None:
    """vocab_size rounded up to make_vocab_size_divisible_by * tp, as nanotron's trainer does."""
    if isinstance(vocab, bool) or not isinstance(vocab, int) or vocab < 1:
        return None  # the family reports the bad value at vocab_size
    divisible = model.integer("make_vocab_size_divisible_by", 1, minimum=1)
    rule = f"make_vocab_size_divisible_by {divisible} x {parallel.name('tensor')} {parallel.tensor}"
    return VocabPadding(vocab, divisible * parallel.tensor, divisible, parallel.tensor, rule)


def parallel_sizes(top: Reader, r: Reader, facts: Facts) -> Parallel:
    """parallelism.tp / pp / expert_parallel_size and the shapes PL4xx checks against them."""
    p = top.mapping("parallelism")
    names = {
        "tensor": "parallelism.tp" if p.has("tp") else "tensor_parallel",
        "pipeline": "parallelism.pp",
        "expert": "parallelism.expert_parallel_size",
        "n_layer": "num_hidden_layers",
        "d_model": "hidden_size",
        "n_head": "num_attention_heads",
        "n_kv_head": "num_key_value_heads",
    }
    sources = {
        field: p.path(key)
        for field, key in (("tensor", "tp"), ("pipeline", "pp"), ("expert", "expert_parallel_size"))
        if p.has(key)
    }
    sources.update(
        {field: r.path(key) for field, key in names.items() if field.startswith(("n_", "d_")) and r.has(key)}
    )

    def shape(key: str) -> int:
        value = r.data.get(key, DEFAULTS.get(key))
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0

    return Parallel(
        tensor=p.integer("tp", facts.tensor_parallel or 1, minimum=1),
        pipeline=p.integer("pp", 1, minimum=1),
        expert=p.integer("expert_parallel_size", 1, minimum=1),
        strict_pipeline=False,  # nanotron balances blocks over the stages
        n_layer=shape("num_hidden_layers"),
        d_model=shape("hidden_size"),
        n_head=shape("num_attention_heads"),
        n_kv_head=shape("num_key_value_heads") or shape("num_attention_heads"),
        names=names,
        sources=sources,
    )


DIALECT: Dialect = Dialect(
    name="nanotron",
    description="nanotron training YAML: model.model_config with is_llama_config or is_qwen2_config",
    recognise=recognise,
    read=read,
    hints=("is_llama_config", "is_qwen2_config"),
    declarations_in_file=False,
)
