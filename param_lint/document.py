"""Document: a config's plain data plus the line and column of every key and value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .findings import START, Mark

PathItem = str | int
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
            child = _child(node, item)
            if child is None:
                break
            mark = node.keys[item] if isinstance(item, str) and node.keys is not None else child.at
            node = child
        return mark

    def value_mark(self, path: Sequence[PathItem]) -> Mark:
        """The position of the value at `path` (its key's position when there is none)."""
        node = self.positions
        for item in path:
            child = _child(node, item)
            if child is None:
                return self.mark(path)
            node = child
        return node.at


def _child(node: Positions, item: PathItem) -> Positions | None:
    """The positions of `node`'s entry `item` (a key or an index), if it has one."""
    children = node.children
    if isinstance(children, dict) and isinstance(item, str):
        return children.get(item)
    if isinstance(children, list) and isinstance(item, int) and 0 <= item < len(children):
        return children[item]
    return None
