"""Hugging Face `config.json` (or the same keys in YAML): a top-level `model_type`.

The readers are one module per model type under `hf/`, imported only when a file needs
them; this module is the dialect's entry in the registry.
"""

from __future__ import annotations

from typing import Any

from . import Dialect, Facts, ModelConfig, Reader


def recognise(data: dict[str, Any]) -> bool:
    """A string `model_type` at the top level (or none, but an `auto_map` naming the config
    class and `architectures`, as MiniCPM-2B's config.json), and neither a `model:` mapping
    (another format) nor axolotl's `base_model` (a fine-tuning recipe, whose `model_type` is a
    class name)."""
    if "model" in data or "base_model" in data:
        return False
    if isinstance(data.get("model_type"), str):
        return True
    from .hf import auto_config

    return auto_config(data) is not None and isinstance(data.get("architectures"), list)


def counted(data: dict[str, Any]) -> bool:
    """Whether param-lint counts the file's model_type and the schema's typed keys are its keys
    (a family that keys some of them per stage, SegFormer's lists, checks them itself)."""
    from . import hf

    return hf.counts(data) and not getattr(hf.FAMILIES[data["model_type"]], "PER_STAGE_KEYS", ())


def nullable(data: dict[str, Any]) -> frozenset[str]:
    """The keys whose null the file's model_type accepts though the schema types them
    (a family module's NULLABLE_KEYS)."""
    from . import hf

    if not hf.counts(data):
        return frozenset()
    return frozenset(getattr(hf.FAMILIES[data["model_type"]], "NULLABLE_KEYS", ()))


def read(top: Reader, facts: Facts) -> ModelConfig:
    from . import hf

    return hf.read(top)


DIALECT: Dialect = Dialect(
    name="huggingface",
    description="Hugging Face config.json (`model_type` at the top level)",
    recognise=recognise,
    read=read,
    schema="hf-config.schema.json",
    schema_applies=counted,
    schema_nullable=nullable,
    hints=("model_type",),
)
