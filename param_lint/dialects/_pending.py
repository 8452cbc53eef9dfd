"""TEMPORARY: the registry interface from the brief, until the coordinator lands it on main."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..document import Path


class CannotCount(Exception):
    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


@dataclass(frozen=True)
class Facts:
    path: str | None = None
    n_vocab: int | None = None
    tensor_parallel: int | None = None


@dataclass(frozen=True)
class Dialect:
    name: str
    description: str
    recognise: Callable[[dict], bool]
    read: Callable[[Any, Facts], Any]
    schema: str | None = None
    hints: tuple[str, ...] = ()
    declarations_in_file: bool = True
