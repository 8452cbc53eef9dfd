"""Checking a checkpoint against its config without reading a single weight.

`compare_folder` reads the index and the safetensors headers beside a Hugging Face
config and compares them with the tensors the config implies; the PL5xx rules (and PL301
for the attention output projection) turn the comparison into findings. Only imported
when a config's folder holds a checkpoint, so linting plain configs stays light.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .folder import holds_checkpoint

if TYPE_CHECKING:
    from ..counting import Breakdown
    from ..dialects import ModelConfig
    from ..findings import Finding
    from .compare import Comparison


def family_of(config: ModelConfig) -> str | None:
    """The Hugging Face model_type of a config param-lint can name tensors for."""
    from .names import NAMINGS

    family = config.family if config.dialect == "huggingface" else None
    return family if family in NAMINGS else None


def compare_folder(
    config_path: str, config: ModelConfig, breakdown: Breakdown, data: Mapping[str, Any]
) -> Comparison | None:
    """The checkpoint in the config's folder against the config, or None when there is none."""
    family = family_of(config)
    folder = os.path.dirname(config_path) or "."
    if family is None or not holds_checkpoint(folder):
        return None
    import gc

    from .compare import compare
    from .folder import read_checkpoint

    # Hundreds of thousands of small objects, none of them in a cycle: the cyclic garbage
    # collector would only rescan them again and again while they are built.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return compare(family, config.architecture, breakdown, data, read_checkpoint(folder), config.parts)
    finally:
        if enabled:
            gc.enable()


def check_checkpoint(config_path: str) -> list[Finding]:
    """Every checkpoint finding (PL5xx, and PL301 at a tensor) for the config at `config_path`."""
    from ..pipeline import lint_file
    from ..settings import Settings

    codes = ("PL301", "PL501", "PL502", "PL503", "PL504", "PL505", "PL506", "PL507")
    result = lint_file(config_path, Settings(select=codes))
    return [f for f in result.findings if f.path != config_path or f.code.startswith("PL5")]
