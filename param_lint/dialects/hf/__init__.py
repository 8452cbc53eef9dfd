"""Hugging Face `config.json`: one adapter module per `model_type`, listed in FAMILIES.

Each adapter exposes `architecture(r: Reader) -> Architecture`, reading the keys of its
transformers config class with that class's defaults (a key absent from the file takes
the value transformers gives it). Adding a family is one module and one line here.
"""

from __future__ import annotations

from types import ModuleType

from .. import ModelConfig, Reader, declarations
from . import llama

FAMILIES: dict[str, ModuleType] = {
    "llama": llama,
}


def read(top: Reader) -> ModelConfig:
    model_type = top.str("model_type")
    family = FAMILIES.get(model_type)
    if family is None:
        known = ", ".join(sorted(FAMILIES))
        top.fail("model_type", f"unknown model_type {model_type!r}; param-lint counts: {known}")
    return ModelConfig(model_type, family.architecture(top), top.sources, **declarations(top))
