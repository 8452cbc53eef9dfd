"""A checkpoint folder as data: its index file and the headers of its safetensors shards.

Reads `model.safetensors.index.json` (or `pytorch_model.bin.index.json`) and the header of
each shard the index names (every `*.safetensors` when there is no index). Never the
tensor data; `.bin` files are pickles and are never opened. Whatever is wrong with the
files is a `Problem` with the file, line and column it is about.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from .safetensors import Header, Stored, read_header

SAFETENSORS_INDEX = "model.safetensors.index.json"
BIN_INDEX = "pytorch_model.bin.index.json"
MAX_INDEX = 200_000_000  # bytes; an index of a million tensors is about 100 MB


def holds_checkpoint(folder: str) -> bool:
    """Whether `folder` has an index file or a safetensors file beside the config."""
    try:
        with os.scandir(folder or ".") as entries:
            return any(e.name in (SAFETENSORS_INDEX, BIN_INDEX) or e.name.endswith(".safetensors") for e in entries)
    except OSError:
        return False


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with a checkpoint file itself: unreadable, hostile, inconsistent."""

    path: str
    line: int
    column: int
    message: str


@dataclass
class Index:
    """An index file: its weight_map, declared totals, and where each name sits in the text."""

    path: str
    text: str
    weight_map: dict[str, str] = field(default_factory=dict)
    total_size: int | None = None
    total_parameters: int | None = None

    def mark(self, key: str, after: str = "weight_map") -> tuple[int, int]:
        """The line and column of `"key":` (searched after `"after"`), or (1, 1)."""
        start = max(self.text.find(json.dumps(after)), 0)
        offset = self.text.find(json.dumps(key) + ":", start)
        if offset < 0:
            offset = self.text.find(json.dumps(key), start)
        if offset < 0:
            return 1, 1
        return self.text.count("\n", 0, offset) + 1, offset - self.text.rfind("\n", 0, offset)


@dataclass
class Checkpoint:
    """Everything read from one checkpoint folder."""

    folder: str
    index: Index | None = None
    headers: dict[str, Header] = field(default_factory=dict)  # shard file name -> its header
    stored: dict[str, Stored] = field(default_factory=dict)  # every tensor a readable header declares
    listed: dict[str, str] = field(default_factory=dict)  # tensor -> shard, from the index
    not_present: list[str] = field(default_factory=list)  # shards that are LFS pointers or absent
    problems: list[Problem] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Every tensor name the checkpoint holds: by its headers, and by its index for the
        shards whose header is absent or has problems (those are PL506/PL507, not PL503)."""
        readable = {shard for shard, header in self.headers.items() if not header.problems}
        names = dict.fromkeys(self.stored)
        names.update((name, None) for name, shard in self.listed.items() if shard not in readable)
        return list(names)

    def where(self, name: str) -> tuple[str, int, int]:
        """The file, line and column of tensor `name`'s entry: its header, else the index."""
        stored = self.stored.get(name)
        if stored is not None:
            header = self.headers[os.path.basename(stored.file)]
            return stored.file, 1, header.column_of(name)
        if self.index is not None:
            return (self.index.path, *self.index.mark(name))
        return self.folder, 1, 1


def read_checkpoint(folder: str) -> Checkpoint:
    """The index and shard headers in `folder`, with their problems."""
    checkpoint = Checkpoint(folder)
    index_name = next((n for n in (SAFETENSORS_INDEX, BIN_INDEX) if os.path.isfile(os.path.join(folder, n))), None)
    if index_name is not None:
        checkpoint.index = _read_index(os.path.join(folder, index_name), checkpoint.problems)
    if checkpoint.index is not None:
        checkpoint.listed = checkpoint.index.weight_map
    if index_name == BIN_INDEX:
        return checkpoint
    if index_name is None:
        shards = sorted(n for n in os.listdir(folder) if n.endswith(".safetensors"))
    else:
        shards = sorted(set(checkpoint.listed.values()))
    for shard in shards:
        path = os.path.join(folder, shard)
        if not os.path.isfile(path):
            checkpoint.not_present.append(shard)
            continue
        header = read_header(path)
        if header.lfs_pointer:
            checkpoint.not_present.append(shard)
            continue
        checkpoint.headers[shard] = header
        for name, message in header.problems:
            checkpoint.problems.append(Problem(path, 1, header.column_of(name), message))
        checkpoint.stored.update(header.tensors)
    if checkpoint.index is not None:
        _cross_check(checkpoint)
    return checkpoint


def _read_index(path: str, problems: list[Problem]) -> Index | None:
    def problem(message: str, line: int = 1, column: int = 1) -> Index | None:
        problems.append(Problem(path, line, column, message))
        return None

    try:
        if os.path.getsize(path) > MAX_INDEX:
            return problem(f"the index is larger than {MAX_INDEX:,} bytes")
        with open(path, "rb") as file:
            text = file.read(MAX_INDEX + 1).decode("utf-8")
        data = json.loads(text)
    except OSError as error:
        return problem(f"cannot read the index: {error.strerror or error}")
    except UnicodeDecodeError as error:
        return problem(f"the index is not UTF-8 (byte {error.start + 1})")
    except json.JSONDecodeError as error:
        return problem(f"the index is not valid JSON: {error.msg}", error.lineno, error.colno)
    except (ValueError, RecursionError) as error:
        return problem(f"the index is not valid JSON: {error}")
    index = Index(path, text)
    if not isinstance(data, dict) or not isinstance(data.get("weight_map"), dict):
        return problem("the index has no `weight_map` mapping tensor names to shard files")
    weight_map = data["weight_map"]
    try:
        shards = set(weight_map.values())
    except TypeError:  # a list or an object where a file name belongs
        shards = {shard for shard in weight_map.values() if isinstance(shard, str)} | {None}
    good = {s for s in shards if _file_name(s)}
    if shards <= good:  # the common case: no copy, no loop in Python
        index.weight_map = weight_map
    else:
        index.weight_map = {name: shard for name, shard in weight_map.items() if _file_name(shard)}
        for name, shard in weight_map.items():
            if name not in index.weight_map:
                problem(f"tensor {name!r}: shard {_short(shard)} is not a file name in this folder", *index.mark(name))
    metadata = data.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    for key in ("total_size", "total_parameters"):
        value = metadata.get(key)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if type(value) is int and value >= 0:
            setattr(index, key, value)
        elif value is not None:
            problem(f"metadata.{key} must be a non-negative integer, got {_short(value)}", *index.mark(key, "metadata"))
    return index


def _cross_check(checkpoint: Checkpoint) -> None:
    """The index and the headers must name the same tensors in the same shards."""
    index = checkpoint.index
    assert index is not None
    from_headers: dict[str, str] = {}
    for shard, header in checkpoint.headers.items():
        from_headers.update(dict.fromkeys(header.tensors, shard))
    readable = {shard for shard, header in checkpoint.headers.items() if not header.problems}
    listed = checkpoint.listed
    if len(readable) < len(set(listed.values())):
        listed = {name: shard for name, shard in listed.items() if shard in readable}
    if from_headers == listed:  # the common case, compared in C
        return
    for name, shard in listed.items():
        if from_headers.get(name) != shard:
            message = f"tensor {name!r} is listed in {shard} but its header lacks it"
            checkpoint.problems.append(Problem(index.path, *index.mark(name), message))
    for name, shard in from_headers.items():
        where = checkpoint.listed.get(name)
        if where != shard and shard in readable:
            said = f"the index puts it in {where}" if where else "the index does not list it"
            header = checkpoint.headers[shard]
            message = f"tensor {name!r} is in {shard} but {said}"
            checkpoint.problems.append(Problem(header.path, 1, header.column_of(name), message))


def _file_name(shard: Any) -> bool:
    """A plain file name in the folder: never a path that leads out of it."""
    return (
        type(shard) is str and shard not in ("", ".", "..") and os.path.basename(shard) == shard and "\\" not in shard
    )


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
