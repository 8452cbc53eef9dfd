"""Which files a run lints: paths as given, directories searched, quoted globs expanded."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable
from fnmatch import fnmatch

from .settings import Settings

SKIPPED_DIRECTORIES = {".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv", "venv", ".tox", ".mypy_cache"}
_GLOB_CHARACTERS = set("*?[")


def discover(paths: Iterable[str], settings: Settings) -> list[str]:
    """The files to lint, in order, each once.

    A file named explicitly is always linted (a missing one becomes PL001); a directory
    contributes the files matching `include`; a quoted glob is expanded. `exclude` globs
    drop files and whole directories found by searching.
    """
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(_search(path, settings))
        elif _GLOB_CHARACTERS & set(path) and not os.path.exists(path):
            for match in sorted(glob.glob(path, recursive=True)):
                if os.path.isdir(match):
                    found.extend(_search(match, settings))
                elif not _excluded(match, settings):
                    found.append(match)
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _search(directory: str, settings: Settings) -> list[str]:
    files = []
    for root, directories, names in os.walk(directory):  # never follows symlinked directories
        directories[:] = sorted(
            d for d in directories if d not in SKIPPED_DIRECTORIES and not _excluded(os.path.join(root, d), settings)
        )
        if is_model_folder(names):
            names = ["config.json"]  # the checkpoint is checked through its config (PL5xx)
        for name in sorted(names):
            path = os.path.join(root, name)
            if any(fnmatch(name, pattern) for pattern in settings.include) and not _excluded(path, settings):
                files.append(path)
    return files


CHECKPOINT_INDEXES = ("model.safetensors.index.json", "pytorch_model.bin.index.json")


def is_model_folder(names: list[str]) -> bool:
    """A Hugging Face model folder: config.json beside a checkpoint. Its other JSON files
    (tokenizer, generation config, the index) are not model configs."""
    return "config.json" in names and any(n in CHECKPOINT_INDEXES or n.endswith(".safetensors") for n in names)


def _excluded(path: str, settings: Settings) -> bool:
    normalized = os.path.normpath(path).replace(os.sep, "/")
    name = os.path.basename(normalized)
    return any(fnmatch(normalized, p) or fnmatch(name, p) or fnmatch(normalized, "*/" + p) for p in settings.exclude)
