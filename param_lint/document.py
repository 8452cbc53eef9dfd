"""Document: a config's plain data plus the line and column of every key and value."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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


# Where a line ends, as each format counts lines: YAML (libyaml and PyYAML) breaks lines at
# CR LF, CR, LF, NEL, LS and PS; JSON at LF only.
YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_JSON_BREAK = re.compile("\n")


class Document:
    """A parsed config: `data` holds only dict, list, str, int, float, bool and None.

    `positions` are read on first use: a file without findings never needs them, and
    reading them costs as much as reading the data (`locate` reads them from the text).
    """

    __slots__ = ("path", "data", "text", "format", "_positions", "_locate")

    def __init__(
        self,
        path: str,
        data: Any,
        positions: Positions | None = None,
        text: str = "",
        format: str = "yaml",  # yaml | json
        locate: Callable[[], Positions] | None = None,
    ) -> None:
        self.path, self.data, self.text, self.format = path, data, text, format
        self._positions = positions if positions is not None or locate is not None else Positions(START)
        self._locate = locate

    @property
    def positions(self) -> Positions:
        if self._positions is None:
            assert self._locate is not None
            self._positions, self._locate = self._locate(), None
        return self._positions

    def __repr__(self) -> str:
        return f"Document({self.path!r}, {self.data!r}, format={self.format!r})"

    def value(self, path: Sequence[PathItem]) -> Any:
        """The value at `path` (None when there is none)."""
        data = self.data
        for item in path:
            if isinstance(data, dict) and isinstance(item, str):
                data = data.get(item)
            elif isinstance(data, list) and isinstance(item, int) and 0 <= item < len(data):
                data = data[item]
            else:
                return None
        return data

    def mark(self, path: Sequence[PathItem]) -> Mark:
        """The position of the key at `path` (of the item, in a list).

        A path that does not exist points at its deepest existing ancestor, so a finding
        about a missing key lands on the mapping that should hold it.
        """
        node = self.positions
        mark = node.at
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

    def offset(self, mark: Mark) -> int | None:
        """The index in `text` of a 1-based line and column, counting lines as the parser did
        (YAML ends a line at a lone CR too); None when the text has no such line."""
        start = 0
        if mark.line > 1:
            breaks = (_JSON_BREAK if self.format == "json" else YAML_LINE_BREAK).finditer(self.text)
            for number, found in enumerate(breaks, start=2):
                if number == mark.line:
                    start = found.end()
                    break
            else:
                return None
        return start + mark.column - 1


def _child(node: Positions, item: PathItem) -> Positions | None:
    """The positions of `node`'s entry `item` (a key or an index), if it has one."""
    children = node.children
    if isinstance(children, dict) and isinstance(item, str):
        return children.get(item)
    if isinstance(children, list) and isinstance(item, int) and 0 <= item < len(children):
        return children[item]
    return None
