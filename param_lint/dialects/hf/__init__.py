"""Hugging Face `config.json`: one adapter module per `model_type`, listed in FAMILIES.

Each adapter exposes `architecture(r: Reader) -> Architecture`, reading the keys of its
transformers config class with that class's defaults (a key absent from the file takes
the value transformers gives it). Adding a family is one module and one line here.
"""

from __future__ import annotations

from types import ModuleType

from .. import CannotCount, ModelConfig, Reader, declarations
from . import (
    bloom,
    cohere,
    deepseek_v2,
    deepseek_v3,
    falcon,
    gemma,
    gemma2,
    gemma3_text,
    gpt2,
    gpt_bigcode,
    gpt_neox,
    gptj,
    llama,
    mistral,
    mixtral,
    mpt,
    olmo,
    olmo2,
    opt,
    phi,
    phi3,
    qwen2,
    qwen2_moe,
    qwen3,
    qwen3_moe,
    stablelm,
    starcoder2,
    t5,
)

FAMILIES: dict[str, ModuleType] = {
    "bloom": bloom,
    "cohere": cohere,
    "deepseek_v2": deepseek_v2,
    "deepseek_v3": deepseek_v3,
    "falcon": falcon,
    "gemma": gemma,
    "gemma2": gemma2,
    "gemma3_text": gemma3_text,
    "gpt2": gpt2,
    "gpt_bigcode": gpt_bigcode,
    "gpt_neox": gpt_neox,
    "gptj": gptj,
    "llama": llama,
    "mistral": mistral,
    "mixtral": mixtral,
    "mpt": mpt,
    "olmo": olmo,
    "olmo2": olmo2,
    "opt": opt,
    "phi": phi,
    "phi3": phi3,
    "qwen2": qwen2,
    "qwen2_moe": qwen2_moe,
    "qwen3": qwen3,
    "qwen3_moe": qwen3_moe,
    "stablelm": stablelm,
    "starcoder2": starcoder2,
    "t5": t5,
}


def read(top: Reader) -> ModelConfig:
    model_type = top.string("model_type")
    family = FAMILIES.get(model_type)
    if family is None:
        raise CannotCount(top.path("model_type"), unsupported_message(top, model_type))
    return ModelConfig("huggingface", family.architecture(top), top.sources, family=model_type, **declarations(top))


def unsupported_message(top: Reader, model_type: str) -> str:
    """Why a model_type cannot be counted: remote code, or a type param-lint does not know yet."""
    known = ", ".join(sorted(FAMILIES))
    if "auto_map" in top.data:
        return (
            f"cannot count model_type {model_type!r}: its model is remote code (`auto_map`), "
            f"not a transformers class; param-lint counts: {known}"
        )
    return f"cannot count model_type {model_type!r} yet; param-lint counts: {known}"
