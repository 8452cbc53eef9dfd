"""Hugging Face `config.json` (or the same keys in YAML): a top-level `model_type`.

The readers are one module per model type under `hf/`, imported only when a file needs
them; this module is the dialect's entry in the registry.
"""

from __future__ import annotations

from typing import Any

from ..document import Document
from ..findings import Finding
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


def alias_schema_checks(document: Document) -> list[Finding]:
    """A file without `model_type` whose auto_map names an alias's config class (MiniCPM-2B's)
    is held to the schema as the same file with that model_type written out: the schema's
    typed keys are the alias's keys (a null hidden_size is PL101 either way, not the default)."""
    from .. import schema
    from ..directives import DECLARATION_KEYS
    from . import hf

    data = document.data
    config_class = hf.auto_config(data) if isinstance(data, dict) else None
    model_type = hf.remote_model_type(config_class) if config_class is not None else None
    if model_type is None:
        return []
    named = Document(document.path, {**data, "model_type": model_type}, locate=lambda: document.positions)
    # param-lint's own keys were checked already (schema_applies is false without model_type).
    return schema.check(named, DIALECT_SCHEMA, frozenset(data) - frozenset(DECLARATION_KEYS))


def read(top: Reader, facts: Facts) -> ModelConfig:
    from . import hf

    return hf.read(top)


DIALECT_SCHEMA = "hf-config.schema.json"

DIALECT: Dialect = Dialect(
    name="huggingface",
    description="Hugging Face config.json (`model_type` at the top level)",
    recognise=recognise,
    read=read,
    schema=DIALECT_SCHEMA,
    schema_applies=counted,
    schema_nullable=nullable,
    hints=("model_type",),
    extra_checks=alias_schema_checks,
)
