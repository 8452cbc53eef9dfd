"""nanotron: training YAML whose `model.model_config` is a Llama or Qwen2 config.

nanotron's model configs use transformers' key names (`hidden_size`, `num_attention_heads`
...), marked by `is_llama_config` or `is_qwen2_config`; its Llama is transformers' Llama,
and its Qwen2 is a Llama with Q/K/V biases only when `attention_bias` is true (transformers'
Qwen2 always has them). nanotron's defaults for both are its LlamaConfig's (vocab_size
32000, intermediate_size 11008, num_key_value_heads = num_attention_heads), which differ
from transformers' Qwen2 defaults, so they are filled in before the family counts. The
trainer pads the vocabulary to a multiple of `model.make_vocab_size_divisible_by` times the
tensor-parallel size `parallelism.tp`. A `moe_config` (nanotron's Qwen2 MoE, whose layer
has changed between releases) is recognised and not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
    if r.boolean("is_llama_config", False):
        family = "llama"
    elif r.boolean("is_qwen2_config", False):
        family = "qwen2"
    else:
        raise CannotCount(r.base, "nanotron model_config is counted for is_llama_config and is_qwen2_config models")
    if r.has("moe_config"):
        raise CannotCount(r.path("moe_config"), "nanotron's mixture-of-experts layer (moe_config) is not counted")
    bias = r.boolean("attention_bias", False, field="qkv_bias")
    if family == "llama" and bias:
        raise CannotCount(r.path("attention_bias"), "nanotron Llama with attention_bias is not counted")
    values = {key: r.data[key] if r.has(key) else default for key, default in DEFAULTS.items()}
    if values["num_key_value_heads"] is None:
        values["num_key_value_heads"] = values["num_attention_heads"]
    values["vocab_size"] = padded_vocabulary(top, model, values["vocab_size"], facts)
    keys = {key: key for key in DEFAULTS}
    arch = hf_architecture(r, "qwen2" if bias else "llama", values, keys)
    return ModelConfig("nanotron", arch, top.sources, family=family)


def padded_vocabulary(top: Reader, model: Reader, vocab: Any, facts: Facts) -> Any:
    """vocab_size rounded up to make_vocab_size_divisible_by * tp, as nanotron's trainer does."""
    if isinstance(vocab, bool) or not isinstance(vocab, int) or vocab < 1:
        return vocab  # the family reports the bad value at vocab_size
    divisible = model.integer("make_vocab_size_divisible_by", 1, minimum=1)
    parallel = top.mapping("parallelism")
    tp = parallel.integer("tp", facts.tensor_parallel or 1, minimum=1)
    multiple = divisible * tp
    return -(-vocab // multiple) * multiple


DIALECT: Dialect = Dialect(
    name="nanotron",
    description="nanotron training YAML: model.model_config with is_llama_config or is_qwen2_config",
    recognise=recognise,
    read=read,
    hints=("is_llama_config", "is_qwen2_config"),
    declarations_in_file=False,
)
