"""Read a safetensors file's header, and only its header, as untrusted input.

The format: 8 bytes, a little-endian unsigned header length N; N bytes of JSON mapping
each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets into the
data that follows), plus an optional "__metadata__" of strings. The reader reads the 8
bytes and then N bytes with bounded reads: never the tensor data, never a memory map.
Every way a header can be wrong (a length beyond the file or beyond the format's 100 MB
limit, malformed JSON, a duplicate name, an unknown dtype, a byte range that does not
match dtype and shape, offsets out of range or overlapping) is a `Problem`, never an
exception. A Git LFS pointer (a clone without the weights) is recognised as such.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from math import prod
from typing import Any, NamedTuple

MAX_HEADER = 100_000_000  # bytes; the limit of the reference implementation
MAX_RANK = 32  # dimensions per tensor; real ones have at most a handful
LFS_POINTER = b"version https://git-lfs"

# Bits per element of each dtype the format defines (safetensors 0.6).
DTYPE_BITS = {
    "BOOL": 8,
    "U8": 8,
    "I8": 8,
    "F8_E5M2": 8,
    "F8_E4M3": 8,
    "F8_E8M0": 8,
    "I16": 16,
    "U16": 16,
    "F16": 16,
    "BF16": 16,
    "I32": 32,
    "U32": 32,
    "F32": 32,
    "I64": 64,
    "U64": 64,
    "F64": 64,
    "C64": 64,
    "F4": 4,
    "F6_E2M3": 6,
    "F6_E3M2": 6,
}


class Stored(NamedTuple):
    """One tensor as a safetensors header declares it (a tuple: 100,000 of them are cheap)."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    file: str  # the shard's path
    numel: int
    nbytes: int


@dataclass
class Header:
    """What one safetensors file's header says, and what is wrong with it."""

    path: str
    tensors: dict[str, Stored] = field(default_factory=dict)
    metadata: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (tensor name or "", message)
    lfs_pointer: bool = False
    text: str = ""  # the header JSON, to locate a tensor's entry (see `column_of`)

    def column_of(self, name: str) -> int:
        """The 1-based byte column in the file where `name`'s entry starts (1: not found)."""
        if not name or not self.text:
            return 1
        offset = self.text.find(json.dumps(name) + ":")
        if offset < 0:
            offset = self.text.find(json.dumps(name, ensure_ascii=False) + ":")
        return 1 if offset < 0 else 8 + len(self.text[:offset].encode()) + 1


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _Duplicate(key)
            seen.add(key)
    return mapping


def _duplicate(text: str) -> str | None:
    """The name a header gives twice, if any (parsed again, slowly: only when bytes are unowned)."""
    try:
        json.loads(text, object_pairs_hook=_no_duplicates)
    except _Duplicate as error:
        return str(error)
    return None


def read_header(path: str) -> Header:
    """The header of the safetensors file at `path` (its problems included), reading only it."""
    header = Header(path)
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            prefix = file.read(8)
            if prefix.startswith(LFS_POINTER[:8]) and (prefix + file.read(len(LFS_POINTER) - 8)) == LFS_POINTER:
                header.lfs_pointer = True
                return header
            if len(prefix) < 8:
                return _problem(header, f"the file is {size} bytes, too short for the 8-byte header length")
            length = int.from_bytes(prefix, "little")
            if length > MAX_HEADER:
                return _problem(
                    header, f"the header length {length:,} exceeds the format's limit of {MAX_HEADER:,} bytes"
                )
            if length > size - 8:
                return _problem(header, f"the header length {length:,} runs past the end of the {size:,}-byte file")
            raw = file.read(length)
    except OSError as error:
        return _problem(header, f"cannot read the file: {error.strerror or error}")
    try:
        header.text = raw.decode("utf-8")
        data = json.loads(header.text)
    except UnicodeDecodeError as error:
        return _problem(header, f"the header is not UTF-8 (byte {error.start + 9} of the file)")
    except (ValueError, RecursionError) as error:
        where = f" at byte {getattr(error, 'pos', 0) + 9} of the file" if hasattr(error, "pos") else ""
        return _problem(header, f"the header is not valid JSON{where}: {getattr(error, 'msg', error)}")
    if not isinstance(data, dict):
        return _problem(header, "the header is not a JSON object")
    _entries(header, data, size - 8 - length)
    return header


def _problem(header: Header, message: str, name: str = "") -> Header:
    header.problems.append((name, message))
    return header


def _entries(header: Header, data: dict[str, Any], data_size: int) -> None:
    """Validate each entry and keep the good ones; then check the byte ranges together."""
    metadata = data.pop("__metadata__", {})
    if isinstance(metadata, dict) and all(isinstance(v, str) for v in metadata.values()):
        header.metadata = metadata
    else:
        _problem(header, "__metadata__ must map names to strings", "__metadata__")
    ranges: list[tuple[Any, Any, str]] = []
    tensors, path, bits_of, limit = header.tensors, header.path, DTYPE_BITS, 2**63
    new = tuple.__new__  # Stored(...) without its Python-level __new__: a third of the time here
    # JSON's true and false are Python's 1 and 0 to prod() and min(): where the header has
    # either word, each dimension is checked on its own
    strict = "true" in header.text or "false" in header.text
    for name, entry in data.items():
        # The common case, inline and in as few steps as it takes: the offsets' types and
        # range are checked below for all entries at once.
        try:
            shape = entry["shape"]
            begin, end = entry["data_offsets"]
            numel = prod(shape)
            dtype = entry["dtype"]
            if (
                type(numel) is int
                and numel * bits_of[dtype] == (end - begin) * 8
                and type(shape) is list
                and len(shape) <= MAX_RANK
                and (not shape or (min(shape) >= 0 and max(shape) < limit))
                and not (strict and any(type(dim) is not int for dim in shape))
            ):
                tensors[name] = new(Stored, (name, tuple(shape), dtype, path, numel, end - begin))
                ranges.append((begin, end, name))
                continue
        except (TypeError, KeyError, ValueError):
            pass
        _problem(header, f"tensor {name!r}: {_entry_problem(entry, data_size)}", name)
    ranges.sort()
    # The data must be the tensors' bytes end to end from 0, as the reference reader requires:
    # checked with tuple comparisons in C, and entry by entry only when that fails.
    if ranges:
        begins, ends, _ = zip(*ranges, strict=True)
        if (
            begins[0] == 0
            and begins[1:] == ends[:-1]
            and ends[-1] == data_size
            and {*map(type, begins + ends)} == {int}
        ):
            return
    elif data_size == 0:
        return
    _check_ranges(header, ranges, data, data_size)


def _check_ranges(header: Header, ranges: list[tuple[Any, Any, str]], data: dict[str, Any], size: int) -> None:
    """Which entries' byte ranges are out of the data, overlap, or leave bytes unowned."""
    covered, previous = 0, ""
    for begin, end, name in ranges:
        if not (type(begin) is int and type(end) is int and 0 <= begin <= end <= size):
            del header.tensors[name]
            _problem(header, f"tensor {name!r}: {_entry_problem(data[name], size)}", name)
            continue
        if begin < covered:
            _problem(header, f"tensor {name!r}: its bytes overlap those of {previous!r}", name)
        elif begin > covered and not header.problems:
            _unowned(header, covered, begin)
        covered, previous = max(covered, end), name
    if covered < size and not header.problems:
        _unowned(header, covered, size)


def _unowned(header: Header, begin: int, end: int) -> None:
    name = _duplicate(header.text)
    if name is not None:
        _problem(header, f"the header names tensor {_short(name)} twice", name)
    else:
        _problem(header, f"bytes {begin:,} to {end:,} of the data belong to no tensor")


def _entry_problem(entry: Any, data_size: int) -> str:
    """What is wrong with an entry the fast path in `_entries` refused."""
    if not isinstance(entry, dict):
        return "the entry is not an object"
    dtype, shape, offsets = entry.get("dtype"), entry.get("shape"), entry.get("data_offsets")
    if not isinstance(dtype, str) or dtype not in DTYPE_BITS:
        return f"dtype {_short(dtype)} is not one of the format's ({', '.join(DTYPE_BITS)})"
    if (
        not isinstance(shape, list)
        or len(shape) > MAX_RANK
        or not all(type(d) is int and 0 <= d < 2**63 for d in shape)
    ):
        return f"shape {_short(shape)} is not a list of at most {MAX_RANK} non-negative 64-bit integers"
    if not (isinstance(offsets, list) and len(offsets) == 2 and all(type(o) is int for o in offsets)):
        return f"data_offsets {_short(offsets)} is not a pair of integers"
    begin, end = offsets
    if not 0 <= begin <= end <= data_size:
        return f"data_offsets [{begin}, {end}] lie outside the {data_size:,} bytes of data"
    bits = prod(shape) * DTYPE_BITS[dtype]
    return f"data_offsets span {end - begin:,} bytes but {dtype} {shape} needs {bits / 8:,g}"


def _short(value: Any, limit: int = 60) -> str:
    """A value for a message, cut short: a hostile header can hold anything."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
