"""Document: a config's plain data plus the line and column of every key and value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Union

from .findings import START, Mark

PathItem = Union[str, int]
Path = tuple[PathItem, ...]


@dataclass(slots=True)
class Positions:
    """Where a value starts, and for containers where each key and child is.

    Aliased YAML nodes share their Positions, so the tree mirrors the data exactly.
    """

    at: Mark
    keys: dict[str, Mark] | None = None  # mapping: where each key is written
    children: dict[str, Positions] | list[Positions] | None = None


@dataclass
class Document:
    """A parsed config: `data` holds only dict, list, str, int, float, bool and None."""

    path: str
    data: Any
    positions: Positions = field(default_factory=lambda: Positions(START))
    text: str = ""
    format: str = "yaml"  # yaml | json

    def mark(self, path: Sequence[PathItem]) -> Mark:
        """The position of the key at `path` (of the item, in a list).

        A path that does not exist points at its deepest existing ancestor, so a finding
        about a missing key lands on the mapping that should hold it.
        """
        node, mark = self.positions, self.positions.at
        for item in path:
            children = node.children
            if isinstance(children, dict) and isinstance(item, str) and item in children:
                assert node.keys is not None
                mark, node = node.keys[item], children[item]
            elif isinstance(children, list) and isinstance(item, int) and 0 <= item < len(children):
                node = children[item]
                mark = node.at
            else:
                break
        return mark

    def value_mark(self, path: Sequence[PathItem]) -> Mark:
        """The position of the value at `path` (its key's position when there is none)."""
        node = self.positions
        for item in path:
            children = node.children
            if isinstance(children, dict) and isinstance(item, str) and item in children:
                node = children[item]
            elif isinstance(children, list) and isinstance(item, int) and 0 <= item < len(children):
                node = children[item]
            else:
                return self.mark(path)
        return node.at
