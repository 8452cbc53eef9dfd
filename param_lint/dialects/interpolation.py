"""OmegaConf `${...}` interpolation, resolved safely (NeMo and Megatron-Bridge configs).

NeMo writes `ffn_hidden_size: ${multiply:4, ${.hidden_size}}` and
`max_position_embeddings: ${.encoder_seq_length}`. This module resolves such values the
way OmegaConf does, without OmegaConf and without `eval`:

- `${a.b.c}` is absolute (from the top of the file); `${.x}` is relative to the mapping
  holding the key, each further dot goes one mapping up (`${..x}`);
- a value that is one whole interpolation takes the referenced value with its type; one
  with text around interpolations becomes a string;
- resolvers: only NeMo's arithmetic ones (`multiply`, `sum`, `subtract`, `divide_floor`,
  `divide_ceil`, `int_div`, `floor_div`), on integers and floats. Anything else
  (`oc.env`, a custom resolver) is unresolvable, never run.

Resolution is bounded (nesting depth, number of steps, text length); a value that refers
back to itself (directly or through others) is a cycle, reported as such.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 32  # interpolations followed through one another
MAX_STEPS = 10_000  # interpolations resolved for one file
MAX_TEXT = 4096  # characters of an interpolated string

Path = tuple[str | int, ...]


class InterpolationError(Exception):
    """A value whose interpolation cannot be resolved; `cycle` when it refers to itself."""

    def __init__(self, message: str, cycle: bool = False) -> None:
        super().__init__(message)
        self.message, self.cycle = message, cycle


def _arith(name: str, fn: Callable[[Any, Any], Any]) -> Callable[[list[Any]], Any]:
    def apply(args: list[Any]) -> Any:
        if len(args) != 2 or not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args):
            raise InterpolationError(f"${{{name}:...}} takes two numbers, got {args!r}")
        if name in ("divide_floor", "divide_ceil", "int_div", "floor_div") and args[1] == 0:
            raise InterpolationError(f"${{{name}:...}} divides by zero")
        result = fn(args[0], args[1])
        if isinstance(result, int) and abs(result) > 2**63:
            raise InterpolationError(f"${{{name}:...}} gives a number too large ({name}{tuple(args)})")
        return result

    return apply


RESOLVERS: dict[str, Callable[[list[Any]], Any]] = {
    "multiply": _arith("multiply", lambda x, y: x * y),
    "sum": _arith("sum", lambda x, y: x + y),
    "subtract": _arith("subtract", lambda x, y: x - y),
    "divide_floor": _arith("divide_floor", lambda x, y: math.floor(x / y)),
    "divide_ceil": _arith("divide_ceil", lambda x, y: math.ceil(x / y)),
    "int_div": _arith("int_div", lambda x, y: x // y),
    "floor_div": _arith("floor_div", lambda x, y: x // y),
}


def has_interpolation(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


@dataclass
class _Budget:
    steps: int = 0


class Resolver:
    """Resolves interpolations in `root`, a plain mapping (as loaded, never changed)."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.budget = _Budget()

    def value(self, path: Path) -> Any:
        """The value at `path` with every interpolation in it (not below it) resolved."""
        return self._resolve_at(path, ())

    def resolved_tree(self, path: Path) -> Any:
        """The container at `path` with every scalar resolved; unresolvable ones become `Unresolved`."""
        node = self._lookup(path)
        if isinstance(node, Mapping):
            return {key: self._tree_item((*path, key)) for key in node}
        if isinstance(node, list):
            return [self._tree_item((*path, index)) for index in range(len(node))]
        return self._tree_item(path)

    def _tree_item(self, path: Path) -> Any:
        node = self._lookup(path)
        if isinstance(node, (Mapping, list)):
            return self.resolved_tree(path)
        try:
            return self.value(path)
        except InterpolationError as error:
            return Unresolved(error.message, error.cycle)

    # -- internals --------------------------------------------------------------------

    def _lookup(self, path: Path) -> Any:
        node: Any = self.root
        for item in path:
            in_mapping = isinstance(node, Mapping) and isinstance(item, str) and item in node
            in_list = isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node)
            if in_mapping or in_list:
                node = node[item]
            else:
                raise InterpolationError(f"'{_dotted(path)}' is not in the file")
        return node

    def _resolve_at(self, path: Path, chain: tuple[Path, ...]) -> Any:
        if path in chain:
            loop = " -> ".join(_dotted(p) for p in (*chain[chain.index(path) :], path))
            raise InterpolationError(f"interpolation cycle: {loop}", cycle=True)
        if len(chain) >= MAX_DEPTH:
            raise InterpolationError(f"interpolations nested more than {MAX_DEPTH} deep at '{_dotted(path)}'")
        value = self._lookup(path)
        if not has_interpolation(value):
            return value
        return _Parser(self, value, path, (*chain, path)).whole()

    def _reference(self, ref: str, at: Path, chain: tuple[Path, ...]) -> Any:
        """The value an interpolation `${ref}` written at `at` stands for."""
        self.budget.steps += 1
        if self.budget.steps > MAX_STEPS:
            raise InterpolationError(f"more than {MAX_STEPS} interpolations to resolve")
        ref = ref.strip()
        if not ref:
            raise InterpolationError("empty interpolation ${}")
        if ref.startswith("."):
            dots = len(ref) - len(ref.lstrip("."))
            base = at[:-dots] if dots <= len(at) else None
            if base is None:
                raise InterpolationError(f"${{{ref}}} goes above the top of the file")
            parts = ref[dots:]
        else:
            base, parts = (), ref
        target = (*base, *_split(parts)) if parts else base
        return self._resolve_at(target, chain)


class _Parser:
    """A small recursive-descent reader of one string with `${...}` in it."""

    def __init__(self, resolver: Resolver, text: str, at: Path, chain: tuple[Path, ...]) -> None:
        if len(text) > MAX_TEXT:
            raise InterpolationError(f"interpolated text longer than {MAX_TEXT} characters")
        self.r, self.text, self.at, self.chain, self.i = resolver, text, at, chain, 0

    def whole(self) -> Any:
        parts = self._sequence(stop="")
        if len(parts) == 1 and parts[0][0] == "interp":
            return parts[0][1]
        return self._join(parts)

    def _join(self, parts: list[tuple[str, Any]]) -> str:
        out = "".join(str(_text(v)) for _, v in parts)
        if len(out) > MAX_TEXT:
            raise InterpolationError(f"interpolated text longer than {MAX_TEXT} characters")
        return out

    def _sequence(self, stop: str) -> list[tuple[str, Any]]:
        """Text and interpolations up to one of the characters in `stop` (or the end)."""
        parts: list[tuple[str, Any]] = []
        literal: list[str] = []
        while self.i < len(self.text):
            ch = self.text[self.i]
            if ch in stop and stop:
                break
            if self.text.startswith("${", self.i):
                if literal:
                    parts.append(("text", "".join(literal)))
                    literal = []
                parts.append(("interp", self._interpolation()))
                continue
            if ch == "\\" and self.i + 1 < len(self.text):
                literal.append(self.text[self.i + 1])
                self.i += 2
                continue
            literal.append(ch)
            self.i += 1
        if literal:
            parts.append(("text", "".join(literal)))
        return parts

    def _interpolation(self) -> Any:
        self.i += 2  # past "${"
        start = self.i
        while self.i < len(self.text) and self.text[self.i] not in ":}$":
            self.i += 1
        if self.i >= len(self.text):
            raise InterpolationError(f"unterminated interpolation in {self.text!r}")
        head = self.text[start : self.i]
        if self.text[self.i] == "}":
            self.i += 1
            return self.r._reference(head, self.at, self.chain)
        if self.text[self.i] == "$":
            raise InterpolationError(f"a nested interpolation as a key is not supported: {self.text!r}")
        # a resolver call: ${name:arg, arg, ...}
        self.i += 1
        name = head.strip()
        args = []
        while True:
            parts = self._sequence(stop=",}")
            args.append(self._argument(parts))
            if self.i >= len(self.text):
                raise InterpolationError(f"unterminated interpolation in {self.text!r}")
            if self.text[self.i] == "}":
                self.i += 1
                break
            self.i += 1  # ","
        resolver = RESOLVERS.get(name)
        if resolver is None:
            known = ", ".join(RESOLVERS)
            raise InterpolationError(f"the resolver ${{{name}:...}} is not one param-lint evaluates ({known})")
        return resolver(args)

    def _argument(self, parts: list[tuple[str, Any]]) -> Any:
        stripped = [(kind, v.strip() if kind == "text" else v) for kind, v in parts]
        stripped = [(kind, v) for kind, v in stripped if not (kind == "text" and v == "")]
        if len(stripped) == 1 and stripped[0][0] == "interp":
            return stripped[0][1]
        return _scalar(self._join(stripped).strip())


_NUMBER = re.compile(r"[-+]?(\d[\d_]*)?(\.\d*)?([eE][-+]?\d+)?")


def _scalar(text: str) -> Any:
    """A resolver argument as OmegaConf reads it: int, float, bool, null or string."""
    lower = text.lower()
    if lower in ("true", "false"):
        return lower == "true"
    if lower in ("null", "~"):
        return None
    if _NUMBER.fullmatch(text) and any(c.isdigit() for c in text):
        try:
            return int(text.replace("_", ""))
        except ValueError:
            return float(text.replace("_", ""))
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return "None"
    if isinstance(value, (Mapping, list)):
        raise InterpolationError("a mapping or list cannot be interpolated into text")
    return value


def _split(dotted: str) -> tuple[str | int, ...]:
    items: list[str | int] = []
    for part in dotted.split("."):
        if not part:
            raise InterpolationError(f"malformed interpolation key {dotted!r}")
        items.append(int(part) if part.isdigit() else part)
    return tuple(items)


def _dotted(path: Path) -> str:
    return ".".join(str(p) for p in path)


@dataclass(frozen=True)
class Unresolved:
    """A value left unresolved; reading it is a ConfigError with this message."""

    message: str
    cycle: bool = False

    def __repr__(self) -> str:
        return f"<unresolved: {self.message}>"
