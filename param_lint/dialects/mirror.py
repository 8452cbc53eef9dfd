"""Counting a framework's config through a Hugging Face family (levanter, nanotron ...).

Several frameworks re-implement a transformers architecture under their own key names.
Their dialects rename the keys onto the family's config keys and let the family's
adapter (param_lint/dialects/hf/) count it, so there is one definition of each layout.
Findings and the sources of each field point back at the file's own keys.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..architecture import Architecture
from . import ConfigError, Reader


def hf_architecture(r: Reader, model_type: str, values: Mapping[str, Any], keys: Mapping[str, str]) -> Architecture:
    """The family `model_type` counting `values` (its config keys -> values).

    `keys` maps each config key to the key of `r` it came from; a field set by a key not
    in `keys` (a value the dialect filled in) points at `r`'s mapping itself.
    """
    from .hf import FAMILIES

    sources: dict[str, Any] = {}
    try:
        arch = FAMILIES[model_type].architecture(Reader(dict(values), (), sources))
    except ConfigError as error:
        key = error.path[-1] if error.path else None
        path = r.path(keys[key]) if isinstance(key, str) and key in keys else r.base
        raise ConfigError(path, renamed(error.message, keys)) from None
    for field, path in sources.items():
        key = path[-1] if path else None
        if isinstance(key, str) and key in keys:
            r.sources[field] = r.path(keys[key])
    return arch


def renamed(message: str, keys: Mapping[str, str]) -> str:
    """A family's message with its key names replaced by the file's own."""
    for hf_key, own in keys.items():
        message = re.sub(rf"\b{re.escape(hf_key)}\b", own, message)
    return message
