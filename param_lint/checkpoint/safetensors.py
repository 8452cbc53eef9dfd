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
from typing import Any

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


@dataclass(frozen=True)
class Stored:
    """One tensor as a checkpoint file declares it."""

    name: str
    shape: tuple[int, ...]
    dtype: str | None  # None: only the index names it (no header to read)
    file: str

    @property
    def numel(self) -> int:
        return prod(self.shape)

    @property
    def nbytes(self) -> int | None:
        bits = DTYPE_BITS.get(self.dtype or "")
        return None if bits is None else self.numel * bits // 8


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
        data = json.loads(header.text, object_pairs_hook=_no_duplicates)
    except UnicodeDecodeError as error:
        return _problem(header, f"the header is not UTF-8 (byte {error.start + 9} of the file)")
    except _Duplicate as error:
        return _problem(header, f"the header names tensor {error} twice", str(error))
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
    ranges: list[tuple[int, int, str]] = []
    for name, entry in data.items():
        message = _entry_problem(entry, data_size)
        if message:
            _problem(header, f"tensor {name!r}: {message}", name)
            continue
        shape = tuple(entry["shape"])
        header.tensors[name] = Stored(name, shape, entry["dtype"], header.path)
        begin, end = entry["data_offsets"]
        ranges.append((begin, end, name))
    ranges.sort()
    for (_, end, first), (begin, _, second) in zip(ranges, ranges[1:], strict=False):
        if begin < end:
            _problem(header, f"tensor {second!r}: its bytes overlap those of {first!r}", second)


def _entry_problem(entry: Any, data_size: int) -> str | None:
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
    if bits % 8 or end - begin != bits // 8:
        return f"data_offsets span {end - begin:,} bytes but {dtype} {shape} needs {bits / 8:,g}"
    return None


def _short(value: Any, limit: int = 60) -> str:
    """A value for a message, cut short: a hostile header can hold anything."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
