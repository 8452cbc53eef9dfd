"""Loading: a path or text -> Document, keeping the line and column of every key and value.

Both parsers build the tree here, iteratively, so that nesting depth, alias expansion,
tags and duplicate keys are bounded and reported as findings (PL001-PL003) instead of
exhausting the stack or the memory. YAML comes from PyYAML's event stream (its C parser
when present); JSON from a small parser over `json`'s own string scanner, because the
`json` module drops positions. Only plain data is built: dict, list, str, int, float,
bool and None.

Most files have no finding at all, and for them positions are never asked for. So each
file is first read quickly without positions (`json.loads`, or the YAML events without
marks); anything unusual there (a duplicate key, an alias, a tag, a limit reached, an
error) stops the quick reading and the full builder reads the file, findings and all.
A clean file's positions are read from its text on first use, by the same full builder,
so every line and column is the one the full builder gives.
"""

from __future__ import annotations

import json
import os
import re
import stat
from bisect import bisect_right
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from json.decoder import scanstring  # type: ignore[attr-defined]  # the C scanner json uses
from typing import Any, BinaryIO, NamedTuple

import yaml

from .document import YAML_LINE_BREAK, Document, Positions
from .findings import START, Finding, Mark

MAX_DEPTH = 100  # real configs nest 2 to 5 deep
MAX_NODES = 100_000  # values after alias expansion: far above any config, far below a bomb
# Longest number read: far above the 400-digit integers users paste, far below the lengths that
# make int() refuse (4,300 digits) or YAML 1.1 sexagesimals (1:59:59...) take seconds.
MAX_NUMBER_LENGTH = 1_000
DEFAULT_MAX_BYTES = 1 << 20

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_YAML_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_YAML_TAG + name for name in ("str", "int", "float", "bool", "null")}
_NUMBER_TAGS = {_YAML_TAG + "int", _YAML_TAG + "float"}
_MAPPING_TAGS = {None, "!", _YAML_TAG + "map"}
_SEQUENCE_TAGS = {None, "!", _YAML_TAG + "seq"}
# YAML 1.1 wants a dot in a float; configs write 1e-4 and 1.75e11 and mean numbers.
_EXPONENT_NUMBER = re.compile(r"[-+]?(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)[eE][-+]?\d+")
_MERGE = object()
_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels; a model config is never this deep"
_PLAIN_DECIMAL = re.compile(r"[1-9][0-9]{0,17}|0")
_PLAIN_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null"}  # YAML 1.1 bools and null, any case
# Numbers YAML 1.1 (PyYAML) and YAML 1.2 (editors' language servers) read differently: octal
# 010 (8 in 1.1, 10 in 1.2), sexagesimal 1:36 (96 in 1.1, a string in 1.2); binary 0b11 too.
AMBIGUOUS_NUMBER = "yaml-1.1-number"  # Finding.subject of such a PL101
_YAML11_OCTAL = re.compile(r"[-+]?0[0-7_]+")
_YAML11_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")


class LoadResult(NamedTuple):
    document: Document | None  # None when nothing usable could be read
    findings: list[Finding]


# levanter's `!include FILE`: the one tag a dialect may ask for (see load_path_with_includes).
INCLUDE_TAG = "!include"
MAX_INCLUDE_DEPTH = 8
MAX_INCLUDES = 64  # includes resolved for one file, all levels: a tree of includes cannot fan out
Includes = dict[Mark, str]  # where each `!include` value stands (its tag) -> the file it names


class _Refusal(Exception):
    """Stops loading: the finding says why."""

    def __init__(self, code: str, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.code, self.mark, self.message = code, mark, message


def load_path(path: str, max_bytes: int = DEFAULT_MAX_BYTES, includes: Includes | None = None) -> LoadResult:
    """Read, decode and parse the file at `path`; every problem is a finding. With `includes`,
    `!include FILE` values are read as FILE and recorded there (see load_path_with_includes)."""
    return read_and_load(path, max_bytes, includes)[1]


def read_and_load(
    path: str, max_bytes: int = DEFAULT_MAX_BYTES, includes: Includes | None = None
) -> tuple[bytes, LoadResult]:
    """`load_path`, and the bytes it read (empty when none): --fix writes them back edited."""
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer that never comes.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(descriptor, "rb") as stream:
            kind = _special_kind(os.fstat(descriptor).st_mode)
            if kind is not None:
                message = f"cannot read the file: it is {kind}, not a regular file"
                return b"", LoadResult(None, [Finding(path, 1, 1, "PL001", message)])
            # Read at the file's size, not into a max_bytes buffer per file; a file that grows
            # meanwhile (or reports no size, as /proc does) is read on up to the limit.
            data = stream.read(min(os.fstat(descriptor).st_size, max_bytes) + 1)
            if len(data) <= max_bytes:
                data += stream.read(max_bytes + 1 - len(data))
    except OSError as error:
        reason = error.strerror or str(error)
        return b"", LoadResult(None, [Finding(path, 1, 1, "PL001", f"cannot read the file: {reason}")])
    return data, _load_at_most(path, data, max_bytes, includes)


def load_stream(path: str, stream: BinaryIO, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
    """A config from an open binary stream (standard input for `-`), reported as `path`."""
    return _load_at_most(path, stream.read(max_bytes + 1), max_bytes)


def _load_at_most(path: str, data: bytes, max_bytes: int, includes: Includes | None = None) -> LoadResult:
    if len(data) > max_bytes:
        message = f"the file is larger than max-file-size ({max_bytes:,} bytes); param-lint reads model configs only"
        return LoadResult(None, [Finding(path, 1, 1, "PL003", message)])
    return load_bytes(path, data, includes)


def _special_kind(mode: int) -> str | None:
    """What a non-regular file is ("a named pipe"...), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, kind in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return kind
    return "not a regular file"


def load_bytes(path: str, data: bytes, includes: Includes | None = None) -> LoadResult:
    """Decode `data` (UTF-8, or UTF-8/16/32 with a byte order mark) and parse it."""
    try:
        text = decode(data)
    except _Refusal as refusal:
        return LoadResult(None, [Finding(path, refusal.mark.line, refusal.mark.column, refusal.code, refusal.message)])
    return load_text(path, text, "json" if path.endswith(".json") else "yaml", includes)


def load_text(path: str, text: str, format: str = "yaml", includes: Includes | None = None) -> LoadResult:
    """Parse `text` as YAML or JSON into a Document (`includes`: see load_path)."""
    try:
        data = _quick_json(text) if format == "json" else _quick_yaml(text)
    except _Slow:
        pass
    else:
        return LoadResult(Document(path, data, None, text, format, partial(_positions, path, text, format)), [])
    parser = _JsonParser(path, text) if format == "json" else _YamlBuilder(path, text, includes)
    try:
        data, positions = parser.parse()
    except _Refusal as refusal:
        finding = Finding(path, refusal.mark.line, refusal.mark.column, refusal.code, refusal.message)
        return LoadResult(None, [*parser.findings, finding])
    return LoadResult(Document(path, data, positions, text, format), parser.findings)


def _positions(path: str, text: str, format: str) -> Positions:
    """The positions of a document the quick reading accepted, read by the full builder."""
    parser = _JsonParser(path, text) if format == "json" else _YamlBuilder(path, text)
    return parser.parse()[1]


class _Slow(Exception):
    """The quick reading met something only the full builder reports: read the file fully."""


def _quick_json(text: str) -> Any:
    """The data of a JSON document that has nothing to report, read by `json.loads`.

    The limits the full parser enforces are checked cheaply and conservatively: more than
    MAX_DEPTH brackets in all (not only nested), more text than MAX_NODES values could need.
    """
    if len(text) > 2 * MAX_NODES or text.count("{") + text.count("[") > MAX_DEPTH:
        raise _Slow
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs, parse_int=_short_int, parse_float=_short_float)
    except (ValueError, RecursionError):  # _Slow included: the full parser says what is wrong
        raise _Slow from None


class _SlowValue(_Slow, ValueError):
    """Raised inside `json.loads`' hooks (a ValueError, so json lets it through)."""


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _SlowValue
    return mapping


def _short_int(literal: str) -> int:
    if len(literal) > MAX_NUMBER_LENGTH:
        raise _SlowValue
    return int(literal)


def _short_float(literal: str) -> float:
    if len(literal) > MAX_NUMBER_LENGTH:
        raise _SlowValue
    return float(literal)


_NO_KEY = object()


def _not_quick(mark: Mark, message: str) -> None:
    raise _Slow


def _quick_yaml(text: str) -> Any:
    """The data of a YAML document that has nothing to report, read from the events alone.

    Anything the full builder would report or bound (anchors and aliases, merge keys,
    tags, duplicate or non-string keys, depth, size, a second document, an error) stops it.
    """
    loader = _Loader(text)
    get_event = loader.get_event
    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    decimal, word = _PLAIN_DECIMAL.fullmatch, _PLAIN_WORD.fullmatch
    containers: list[Any] = []
    keys: list[Any] = []  # per container: the key waiting for its value (mappings)
    root: Any = None
    nodes = documents = 0
    try:
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is scalar:
                nodes += 1
                value = event.value
                if event.anchor is not None:
                    raise _Slow
                # The spellings configs are made of first (64, n_vocab, rmsnorm), as in _scalar_value.
                if event.implicit[0] and decimal(value):
                    value = int(value)
                elif not (event.implicit[0] and word(value) and value.lower() not in _YAML_WORDS):
                    value = _scalar_value(event, START, _not_quick)
                    if value is _MERGE:
                        raise _Slow
            elif kind is mapping_start or kind is sequence_start:
                nodes += 1
                if event.anchor is not None or event.tag is not None or len(containers) >= MAX_DEPTH:
                    raise _Slow
                containers.append({} if kind is mapping_start else [])
                keys.append(_NO_KEY)
                continue
            elif kind in ends:
                value = containers.pop()
                keys.pop()
            elif kind is yaml.AliasEvent:
                raise _Slow
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Slow
                continue
            else:
                continue
            if not containers:
                root = value
                continue
            parent = containers[-1]
            if type(parent) is list:
                parent.append(value)
            elif keys[-1] is _NO_KEY:
                if type(value) is not str or value in parent:
                    raise _Slow
                keys[-1] = value
            else:
                parent[keys[-1]] = value
                keys[-1] = _NO_KEY
        if nodes > MAX_NODES:
            raise _Slow
    except (yaml.YAMLError, _Refusal):
        raise _Slow from None
    finally:
        dispose = getattr(loader, "dispose", None)
        if dispose is not None:
            dispose()
    return root


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def encode(text: str, like: bytes) -> bytes:
    """`text` in the encoding of the file whose bytes were `like`, byte order mark included (for --fix)."""
    for bom, encoding in _BOMS:
        if like.startswith(bom):
            return bom + text.encode(encoding)
    return text.encode("utf-8")


def decode(data: bytes) -> str:
    """Bytes to text, refusing binary files and invalid UTF-8 with the place of the fault."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise _Refusal("PL001", START, f"cannot decode the file as {encoding}: {error.reason}") from None
    if b"\x00" in data:
        raise _Refusal("PL001", START, "this is a binary file (it contains NUL bytes), not a YAML or JSON config")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        bad = data[error.start : error.end].hex(" ")
        message = f"cannot decode the file as UTF-8: byte {bad} at offset {error.start} is not valid UTF-8"
        raise _Refusal("PL001", Mark(line, column), message) from None


class _Container:
    """A mapping or sequence being built, with the positions of its entries."""

    __slots__ = ("value", "positions", "anchor", "size", "key", "key_mark", "merges")

    def __init__(self, value: dict | list, positions: Positions, anchor: str | None) -> None:
        self.value = value
        self.positions = positions
        self.anchor = anchor
        self.size = 1
        self.key: Any = None  # mapping: the key waiting for its value
        self.key_mark: Mark | None = None
        self.merges: list[tuple[Any, Positions, Mark]] = []

    def append(self, value: Any, positions: Positions) -> None:
        """Add an item to a sequence."""
        assert isinstance(self.value, list) and isinstance(self.positions.children, list)
        self.value.append(value)
        self.positions.children.append(positions)

    def put(self, path: str, name: str, key_mark: Mark, value: Any, positions: Positions) -> Finding | None:
        """Set a mapping entry (the last one wins); PL002 when `name` was already there."""
        assert isinstance(self.value, dict) and self.positions.keys is not None
        assert isinstance(self.positions.children, dict)
        first = self.positions.keys.get(name)
        self.value[name] = value
        self.positions.keys[name] = key_mark
        self.positions.children[name] = positions
        if first is None:
            return None
        message = f"duplicate key {name!r} (first defined at line {first.line}); the last one wins"
        return Finding(path, key_mark.line, key_mark.column, "PL002", message)


class _YamlBuilder:
    """Builds plain data from PyYAML events, with bounded depth and alias expansion."""

    def __init__(self, path: str, text: str, includes: Includes | None = None) -> None:
        self.path = path
        self.text = text
        self.includes = includes  # None: `!include` is refused like any other tag
        self.findings: list[Finding] = []
        self.stack: list[_Container] = []
        self.anchors: dict[str, tuple[Any, Positions, int]] = {}
        self.nodes = 0
        self.expanded = False  # an alias has been expanded
        self.root: tuple[Any, Positions] = (None, Positions(START))

    def parse(self) -> tuple[Any, Positions]:
        loader = _Loader(self.text)
        documents = 0
        try:
            while loader.check_event():
                event = loader.get_event()
                kind = type(event)
                if kind is yaml.ScalarEvent:
                    self._scalar(event)
                elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    self._start(event)
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    container = self.stack.pop()
                    if isinstance(container.value, dict):
                        self._apply_merges(container)
                    self._add(container.value, container.positions, container.size, container.anchor)
                elif kind is yaml.AliasEvent:
                    self._alias(event)
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        raise _Refusal(
                            "PL001",
                            _mark(event.start_mark),
                            "a second YAML document starts here; a config file holds one",
                        )
        except yaml.MarkedYAMLError as error:
            if "nesting depth" in (error.problem or ""):  # libyaml 0.2.5+ stops at 1,000 levels itself
                raise _Refusal("PL003", _mark(error.problem_mark), _TOO_DEEP) from None
            long_key = _long_key(self.text, _mark(error.problem_mark))
            if long_key is not None:
                raise long_key from None
            raise _Refusal("PL001", _mark(error.problem_mark), _yaml_error_message(error)) from None
        except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
            position = getattr(error, "position", 0)
            raise _Refusal(
                "PL001", _text_mark(self.text, position), f"YAML syntax error: {_reader_reason(error)}"
            ) from None
        finally:
            dispose = getattr(loader, "dispose", None)
            if dispose is not None:
                dispose()
        return self.root

    def _count(self, size: int, mark: Mark, alias: bool = False) -> None:
        self.nodes += size
        self.expanded = self.expanded or alias
        if self.nodes > MAX_NODES:
            if self.expanded:  # aliases made it this large: name the likely cause
                message = (
                    f"the document expands to more than {MAX_NODES:,} values (an alias bomb?); refusing to read on"
                )
            else:
                message = f"the document holds more than {MAX_NODES:,} values; refusing to read on"
            raise _Refusal("PL003", mark, message)

    def _start(self, event: Any) -> None:
        mark = _mark(event.start_mark)
        is_mapping = type(event) is yaml.MappingStartEvent
        allowed = _MAPPING_TAGS if is_mapping else _SEQUENCE_TAGS
        if event.tag not in allowed:
            raise _Refusal("PL003", mark, _tag_message(event.tag))
        if len(self.stack) >= MAX_DEPTH:
            raise _Refusal("PL003", mark, _TOO_DEEP)
        self._count(1, mark)
        if is_mapping:
            container = _Container({}, Positions(mark, {}, {}), event.anchor)
        else:
            container = _Container([], Positions(mark, None, []), event.anchor)
        self.stack.append(container)

    def _scalar(self, event: Any) -> None:
        mark = _mark(event.start_mark)
        self._count(1, mark)
        if event.tag == INCLUDE_TAG and self.includes is not None:
            self.includes[mark] = event.value  # the file name stands until the include is read
            value = event.value
        else:
            value = _scalar_value(event, mark, self._ambiguous)
        self._add(value, Positions(mark), 1, event.anchor)

    def _alias(self, event: Any) -> None:
        mark = _mark(event.start_mark)
        if event.anchor not in self.anchors:
            raise _Refusal("PL001", mark, f"alias *{event.anchor} refers to no anchor defined before it")
        value, positions, size = self.anchors[event.anchor]
        self._count(size, mark, alias=True)
        self._add(value, positions, size, None)

    def _add(self, value: Any, positions: Positions, size: int, anchor: str | None) -> None:
        """Attach a finished value to the container being built (or make it the root)."""
        if anchor is not None:
            self.anchors[anchor] = (value, positions, size)
        if not self.stack:
            self.root = (value, positions)
            return
        parent = self.stack[-1]
        parent.size += size
        if isinstance(parent.value, list):
            parent.append(value, positions)
        elif parent.key_mark is None:
            parent.key, parent.key_mark = value, positions.at
        else:
            key, key_mark = parent.key, parent.key_mark
            parent.key = parent.key_mark = None
            if key is _MERGE:
                parent.merges.append((value, positions, key_mark))
            else:
                self._set(parent, key, key_mark, value, positions)

    def _set(self, parent: _Container, key: Any, key_mark: Mark, value: Any, positions: Positions) -> None:
        name = self._key_name(key, key_mark)
        if name is not None:
            duplicate = parent.put(self.path, name, key_mark, value, positions)
            if duplicate:
                self.findings.append(duplicate)

    def _key_name(self, key: Any, mark: Mark) -> str | None:
        """Keys are strings; YAML reads `on:`, `yes:` and `1:` as other types, so say so."""
        if isinstance(key, str):
            return key
        if isinstance(key, (dict, list)) or key is _MERGE:
            self._finding(mark, "PL101", "a mapping key must be a plain string, not a mapping or list")
            return None
        spelled = self.text_at(mark)
        kind = type(key).__name__ if key is not None else "null"
        self._finding(mark, "PL101", f"key {spelled!r} is read by YAML as {kind} {key!r}; quote it to use it as a name")
        return spelled

    def text_at(self, mark: Mark) -> str:
        """The plain token written at `mark` (for messages about how YAML read it)."""
        lines = self.text.splitlines()
        line = lines[mark.line - 1] if mark.line <= len(lines) else ""
        token = re.match(r"[^:#,\]}\s]*", line[mark.column - 1 :])
        return token.group(0) if token else ""

    def _apply_merges(self, container: _Container) -> None:
        """YAML merge keys (`<<: *base`): explicit keys win, then earlier merge sources."""
        assert isinstance(container.value, dict) and container.positions.keys is not None
        explicit = dict(container.value)
        children = container.positions.children
        assert isinstance(children, dict)
        for source, positions, mark in container.merges:
            sources: list[tuple[Any, Positions]] = [(source, positions)]
            if isinstance(source, list) and isinstance(positions.children, list):
                sources = list(zip(source, positions.children, strict=True))
            for mapping, mapping_positions in sources:
                if not isinstance(mapping, dict):
                    self._finding(mark, "PL101", "a merge key (<<) takes a mapping or a list of mappings")
                    continue
                assert mapping_positions.keys is not None and isinstance(mapping_positions.children, dict)
                for name, value in mapping.items():
                    if name not in container.value:
                        container.value[name] = value
                        container.positions.keys[name] = mapping_positions.keys[name]
                        children[name] = mapping_positions.children[name]
        if container.merges:  # explicit entries come last, as if written after the merge
            for name in explicit:
                container.value[name] = container.value.pop(name)

    def _finding(self, mark: Mark, code: str, message: str) -> None:
        self.findings.append(Finding(self.path, mark.line, mark.column, code, message))

    def _ambiguous(self, mark: Mark, message: str) -> None:
        # The value is still read (as YAML 1.1 reads it); the pipeline keeps the finding only
        # where the value sets the model (see pipeline.build_context).
        self.findings.append(Finding(self.path, mark.line, mark.column, "PL101", message, subject=AMBIGUOUS_NUMBER))


def _scalar_value(event: Any, mark: Mark, ambiguous: Callable[[Mark, str], None]) -> Any:
    """A scalar event's value; `ambiguous` hears of numbers YAML 1.1 and 1.2 read differently."""
    value = event.value
    tag = event.tag
    if event.implicit[0]:  # a plain scalar: its type comes from its spelling
        # Fast paths for what configs are made of (64, n_vocab, rmsnorm): the resolver
        # would say int and str, at several times the cost.
        if _PLAIN_DECIMAL.fullmatch(value):
            return int(value)
        if _PLAIN_WORD.fullmatch(value) and value.lower() not in _YAML_WORDS:
            return value
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))
        if tag == _YAML_TAG + "merge":
            return _MERGE
        if tag == _YAML_TAG + "str" and _EXPONENT_NUMBER.fullmatch(value):
            _check_number_length(value, mark)
            return _exponent_number(value)
        if tag not in _SCALAR_TAGS:  # timestamps, '=': keep the text
            return value
    elif tag is None or tag == "!":
        return value
    elif tag not in _SCALAR_TAGS:
        raise _Refusal("PL003", mark, _tag_message(tag))
    if tag in _NUMBER_TAGS:
        _check_number_length(value, mark)
    try:
        number = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except (
        ValueError,
        ArithmeticError,
        LookupError,
        yaml.YAMLError,
    ) as error:  # `!!int ''`, `!!bool maybe`, 1:59:...:59.5
        raise _Refusal("PL001", mark, f"cannot read {value[:40]!r} as {tag.rsplit(':', 1)[-1]}: {error}") from None
    if event.implicit[0] and tag in _NUMBER_TAGS:
        message = _yaml11_only(value, number)
        if message:
            ambiguous(mark, message)
    return number


def _yaml11_only(spelled: str, number: int | float) -> str | None:
    """Why a plain number means something else to YAML 1.2 (editors), or None."""
    if _YAML11_OCTAL.fullmatch(spelled):
        decimal = int(spelled.replace("_", ""), 10)
        return (
            f"{spelled!r} is read as {number} by YAML 1.1 (octal: PyYAML, param-lint) but as {decimal} by YAML 1.2 "
            f"(editors' language servers); write {number} or {decimal} without the leading zero"
        )
    if _YAML11_SEXAGESIMAL.fullmatch(spelled):
        return (
            f"{spelled!r} is read as {number} by YAML 1.1 (base 60: PyYAML, param-lint) but as the string "
            f"{spelled!r} by YAML 1.2 (editors' language servers); write {number}, or quote it for a string"
        )
    if spelled.lstrip("+-").startswith("0b"):
        return (
            f"{spelled!r} is read as {number} by YAML 1.1 (binary: PyYAML, param-lint) but as the string "
            f"{spelled!r} by YAML 1.2 (editors' language servers); write {number}, or quote it for a string"
        )
    return None


def _mark(mark: Any) -> Mark:
    return Mark(mark.line + 1, mark.column + 1) if mark is not None else START


def _text_mark(text: str, offset: int) -> Mark:
    line = text.count("\n", 0, offset) + 1
    return Mark(line, offset - text.rfind("\n", 0, offset))


def _yaml_error_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "invalid YAML"
    if error.context:
        where = f" at line {error.context_mark.line + 1}" if error.context_mark is not None else ""
        return f"YAML syntax error: {problem} ({error.context}{where})"
    return f"YAML syntax error: {problem}"


MAX_KEY_LENGTH = 1024  # YAML's limit for a key written without `? ` (libyaml and PyYAML enforce it)
_KEY_START = re.compile(r"[ \t]*(?:-[ \t]+)*(?:\{[ \t]*)?")


def _long_key(text: str, problem: Mark) -> _Refusal | None:
    """A syntax error caused by a key longer than YAML allows, said as such (the parser
    only reports that it found no ':' or a ':' where none may be)."""
    lines = YAML_LINE_BREAK.split(text, maxsplit=problem.line)
    if problem.line > len(lines):
        return None
    line = lines[problem.line - 1]
    start = _KEY_START.match(line).end()  # type: ignore[union-attr]  # the pattern always matches
    end = start
    while True:
        end = line.find(":", end + 1)
        if end == -1 or line[end + 1 : end + 2] in ("", " ", "\t"):
            break
    if end == -1 or end - start <= MAX_KEY_LENGTH:
        return None
    message = (
        f"a key {end - start:,} characters long; YAML reads keys of up to {MAX_KEY_LENGTH:,} characters "
        "(shorten it, or write it as an explicit key after '? ')"
    )
    return _Refusal("PL001", Mark(problem.line, start + 1), message)


def _reader_reason(error: Any) -> str:
    character = getattr(error, "character", None)
    if isinstance(character, str):
        return f"the character {character!r} (U+{ord(character):04X}) is not allowed in YAML"
    return str(error).splitlines()[0]


def _tag_message(tag: str) -> str:
    shown = tag.replace(_YAML_TAG, "!!")
    return f"the YAML tag {shown} is not allowed: param-lint reads plain data (mappings, lists, strings, numbers)"


def _check_number_length(text: str, mark: Mark) -> None:
    if len(text) > MAX_NUMBER_LENGTH:
        message = (
            f"a number {len(text):,} characters long; param-lint reads numbers up to {MAX_NUMBER_LENGTH:,} characters"
        )
        raise _Refusal("PL001", mark, message)


def _exponent_number(text: str) -> int | float:
    """`1.75e11` -> 175000000000 (exact when integral), `1e-4` -> 0.0001."""
    try:
        number = Decimal(text.replace("_", ""))
    except ArithmeticError:  # InvalidOperation
        return float("nan")
    if number == number.to_integral_value() and number.adjusted() <= 30:
        return int(number)
    return float(number)


# JSON ------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _skip_whitespace(text: str, i: int) -> int:
    """Where the JSON whitespace starting at `i` ends (the pattern always matches)."""
    return _WHITESPACE.match(text, i).end()  # type: ignore[union-attr]


_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_CONSTANTS = {"true": True, "false": False, "null": None, "NaN": float("nan"), "Infinity": float("inf")}


class _JsonParser:
    """A JSON parser that records positions, reports duplicate keys and never recurses."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.findings: list[Finding] = []
        self._line_starts: list[int] | None = None

    def mark(self, offset: int) -> Mark:
        if self._line_starts is None:
            self._line_starts = [0] + [match.end() for match in re.finditer("\n", self.text)]
        line = bisect_right(self._line_starts, offset)
        return Mark(line, offset - self._line_starts[line - 1] + 1)

    def _syntax(self, offset: int, message: str) -> _Refusal:
        return _Refusal("PL001", self.mark(offset), f"JSON syntax error: {message}")

    def parse(self) -> tuple[Any, Positions]:
        text, end = self.text, len(self.text)
        stack: list[_Container] = []
        value: Any
        i = _skip_whitespace(text, 0)
        if i == end:
            return None, Positions(START)
        nodes = 0
        while True:
            # One value starts at i.
            if i >= end:
                raise self._syntax(i, "the file ends where a value was expected")
            char = text[i]
            mark = self.mark(i)
            nodes += 1
            if nodes > MAX_NODES:  # 1 MiB of `[1,1,...` is half a million values: refuse, as for YAML
                raise _Refusal("PL003", mark, f"the document holds more than {MAX_NODES:,} values; refusing to read on")
            if char == "{" or char == "[":
                if len(stack) >= MAX_DEPTH:
                    raise _Refusal("PL003", mark, _TOO_DEEP)
                if char == "{":
                    stack.append(_Container({}, Positions(mark, {}, {}), None))
                else:
                    stack.append(_Container([], Positions(mark, None, []), None))
                i = _skip_whitespace(text, i + 1)
                if i < end and text[i] == ("}" if char == "{" else "]"):
                    i += 1
                    container = stack.pop()
                    value, positions = container.value, container.positions
                else:
                    if char == "{":
                        i = self._key(stack[-1], i)
                    continue
            elif char == '"':
                value, i = self._string(i)
                positions = Positions(mark)
            else:
                number = _NUMBER.match(text, i)
                if number:
                    literal = number.group(0)
                    _check_number_length(literal, mark)
                    value = float(literal) if number.group(1) or number.group(2) else int(literal)
                    i = number.end()
                else:
                    word = re.match(r"-?[A-Za-z]+", text[i : i + 12])
                    spelled = word.group(0) if word else ""
                    if spelled in _CONSTANTS:
                        value = _CONSTANTS[spelled]
                    elif spelled == "-Infinity":
                        value = float("-inf")
                    else:
                        raise self._syntax(i, f"unexpected {_shown(text, i)} where a value was expected")
                    i += len(spelled)
                positions = Positions(mark)
            # The value ends: attach it, then read separators, closing containers as they end.
            while True:
                if not stack:
                    i = _skip_whitespace(text, i)
                    if i < end:
                        raise self._syntax(i, f"unexpected {_shown(text, i)} after the end of the document")
                    return value, positions
                container = stack[-1]
                self._attach(container, value, positions)
                i = _skip_whitespace(text, i)
                closer = "}" if isinstance(container.value, dict) else "]"
                if i < end and text[i] == ",":
                    i = _skip_whitespace(text, i + 1)
                    if closer == "}":
                        i = self._key(container, i)
                    break
                if i < end and text[i] == closer:
                    i += 1
                    stack.pop()
                    value, positions = container.value, container.positions
                    continue
                found = "the end of the file" if i >= end else _shown(text, i)
                raise self._syntax(i, f"expected ',' or '{closer}' but found {found}")

    def _string(self, i: int) -> tuple[str, int]:
        try:
            return scanstring(self.text, i + 1, True)
        except ValueError as error:
            offset = getattr(error, "pos", i)
            reason = getattr(error, "msg", str(error))
            raise self._syntax(offset, reason[0].lower() + reason[1:]) from None

    def _key(self, container: _Container, i: int) -> int:
        """Read `"key" :` and leave the key on the container; return where its value starts."""
        if i >= len(self.text) or self.text[i] != '"':
            found = "the end of the file" if i >= len(self.text) else _shown(self.text, i)
            raise self._syntax(i, f"expected a key in double quotes but found {found}")
        container.key_mark = self.mark(i)
        container.key, i = self._string(i)
        i = _skip_whitespace(self.text, i)
        if i >= len(self.text) or self.text[i] != ":":
            raise self._syntax(i, "expected ':' after the key")
        return _skip_whitespace(self.text, i + 1)

    def _attach(self, container: _Container, value: Any, positions: Positions) -> None:
        if isinstance(container.value, list):
            container.append(value, positions)
            return
        assert container.key_mark is not None
        duplicate = container.put(self.path, container.key, container.key_mark, value, positions)
        if duplicate:
            self.findings.append(duplicate)


def _shown(text: str, i: int) -> str:
    return repr(text[i])


def load_path_with_includes(
    path: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
    root: str | None = None,
    _chain: tuple[str, ...] = (),
    _budget: list[int] | None = None,
) -> LoadResult:
    """Load YAML whose `!include FILE` values stand for FILE's content, as levanter does.

    Each file is read and parsed once: the parser takes the tag's value as the file name and
    notes where it stands. FILE is relative to the including file and must stay inside `root`
    (by default the repository holding `path`: the nearest folder with `.git`, else the file's
    own folder), symlinks resolved; includes nest at most MAX_INCLUDE_DEPTH deep,
    MAX_INCLUDES in all. An escape, a cycle or too many includes is a PL003 finding at the
    tag; an include that cannot be read is left as its file name (the dialect says what it
    lacks). Included values carry the tag's position, so findings about them point at the
    `!include` line. Any other tag is refused as load_path refuses it.
    """
    includes: Includes = {}
    loaded = load_path(path, max_bytes, includes)
    if loaded.document is None or not includes:
        return loaded
    real = os.path.realpath(path)
    from .discover import git_root  # only files with includes need it

    root = os.path.realpath(root or git_root(os.path.dirname(real)) or os.path.dirname(real))
    document, findings = loaded.document, list(loaded.findings)
    chain = (*_chain, real)
    budget = [MAX_INCLUDES] if _budget is None else _budget
    pending: list[tuple[Any, Positions]] = [(document.data, document.positions)]
    while pending:  # iterative walk: a container's children, looking for include values
        value, positions = pending.pop()
        children = positions.children
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in list(items):
            child_positions = children[key] if children is not None else None  # type: ignore[index]
            if child_positions is None:
                continue
            target = includes.get(child_positions.at) if isinstance(child, str) else None
            if target is None:
                pending.append((child, child_positions))
                continue
            included = _include(target, real, root, chain, budget, child_positions.at, path, max_bytes, findings)
            if included is not None:
                value[key] = included
    return LoadResult(document, findings)


def _include(
    target: str,
    including: str,
    root: str,
    chain: tuple[str, ...],
    budget: list[int],
    mark: Mark,
    path: str,
    max_bytes: int,
    findings: list[Finding],
) -> Any:
    """The data of one `!include`, or None (a finding says why, or the file is unreadable)."""
    resolved = os.path.realpath(os.path.join(os.path.dirname(including), target))
    problem = None
    if os.path.commonpath([resolved, root]) != root:
        problem = f"!include {target} leaves the repository ({root}); param-lint reads includes inside it only"
    elif resolved in chain:
        names = " -> ".join(os.path.basename(link) for link in (*chain, resolved))
        problem = f"!include {target} is a cycle ({names})"
    elif len(chain) > MAX_INCLUDE_DEPTH:
        problem = f"!include {target} nests more than {MAX_INCLUDE_DEPTH} includes deep"
    elif budget[0] < 0:  # already reported
        return None
    elif budget[0] == 0:
        budget[0] = -1
        problem = f"!include {target} is one include too many: a file may pull in {MAX_INCLUDES} in all"
    if problem is not None:
        findings.append(Finding(path, mark.line, mark.column, "PL003", problem))
        return None
    if not os.path.isfile(resolved):
        return None
    budget[0] -= 1
    loaded = load_path_with_includes(resolved, max_bytes, root, chain, budget)
    findings.extend(loaded.findings)
    return None if loaded.document is None else loaded.document.data
