"""Write tiny checkpoints with the standard library: safetensors headers over zero bytes.

The safetensors format is 8 bytes of little-endian header length, the JSON header, then
the tensors' bytes; the tests need only the header to be right, so the data is zeros.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping, Sequence
from math import prod
from pathlib import Path
from typing import Any

BITS = {"F32": 32, "F16": 16, "BF16": 16, "I32": 32, "U8": 8, "I8": 8, "I64": 64, "F8_E4M3": 8, "F8_E8M0": 8}


def header_bytes(
    tensors: Mapping[str, tuple[str, Sequence[int]]], metadata: Mapping[str, str] | None = None
) -> tuple[bytes, int]:
    """The 8-byte length, the JSON header (offsets laid end to end), and the data size."""
    header: dict[str, Any] = {}
    if metadata is not None:
        header["__metadata__"] = dict(metadata)
    offset = 0
    for name, (dtype, shape) in tensors.items():
        size = prod(shape) * BITS[dtype] // 8
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    text = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(text)) + text, offset


def write_safetensors(path: Path, tensors: Mapping[str, tuple[str, Sequence[int]]], metadata=None) -> Path:
    head, size = header_bytes(tensors, metadata if metadata is not None else {"format": "pt"})
    with open(path, "wb") as file:
        file.write(head)
        file.truncate(len(head) + size)  # zeros, sparse on most file systems
    return path


def write_raw(path: Path, header: bytes | str, data: int = 0, length: int | None = None) -> Path:
    """A file with exactly this header text (hostile ones) and `data` zero bytes after it."""
    raw = header.encode() if isinstance(header, str) else header
    with open(path, "wb") as file:
        file.write(struct.pack("<Q", len(raw) if length is None else length) + raw)
        file.truncate(8 + len(raw) + data)
    return path


def write_checkpoint(
    folder: Path,
    config: Mapping[str, Any],
    tensors: Mapping[str, tuple[str, Sequence[int]]],
    shards: int = 1,
    index: bool | None = None,
    total_parameters: int | None = None,
) -> Path:
    """config.json, the tensors split over `shards` safetensors files and (by default with
    more than one shard) model.safetensors.index.json. Returns the config's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.json").write_text(json.dumps(config, indent=2))
    names = list(tensors)
    weight_map, total = {}, 0
    for number in range(shards):
        shard = "model.safetensors" if shards == 1 else f"model-{number + 1:05d}-of-{shards:05d}.safetensors"
        part = {name: tensors[name] for name in names[number::shards]}
        write_safetensors(folder / shard, part)
        for name, (dtype, shape) in part.items():
            weight_map[name] = shard
            total += prod(shape) * BITS[dtype] // 8
    if index if index is not None else shards > 1:
        metadata: dict[str, int] = {"total_size": total}
        if total_parameters is not None:
            metadata["total_parameters"] = total_parameters
        document = {"metadata": metadata, "weight_map": dict(sorted(weight_map.items()))}
        (folder / "model.safetensors.index.json").write_text(json.dumps(document, indent=2))
    return folder / "config.json"


def expected_tensors(config: Mapping[str, Any], dtype: str = "BF16") -> dict[str, tuple[str, tuple[int, ...]]]:
    """The tensors param-lint names for `config` (checked against transformers in test_names)."""
    from param_lint.checkpoint.names import expected_tensors as names
    from param_lint.dialects import read
    from param_lint.document import Document
    from param_lint.parts import count_model

    model, problems = read(Document("config.json", dict(config)))
    assert model is not None, problems
    breakdown = count_model(model.architecture, model.parts)
    expected = names(model.family, model.architecture, breakdown, config, model.parts)
    return {name: (dtype, tensor.shape) for name, tensor in expected.tensors.items()}


# The rule fixtures under tests/rules/PL5xx/ (and PL301/checkpoint-wo): tiny Llama model
# folders, one right and one wrong per rule. tests/checkpoint/test_rule_fixtures.py checks
# that the committed folders are exactly what this writes; to change them, edit here and
# run `python -m tests.checkpoint.build` from the repository root.
FIXTURE_CONFIG = {
    "model_type": "llama",
    "vocab_size": 16,
    "hidden_size": 8,
    "intermediate_size": 16,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "num_key_value_heads": 1,
    "tie_word_embeddings": False,
    "torch_dtype": "bfloat16",
}
LFS_POINTER = (
    b"version https://git-lfs.github.com/spec/v1\n"
    b"oid sha256:9e5cc2f91f7830364eff657b53df4f855091996cb2db7de2b69b8f11fa06be0a\nsize 4998663696\n"
)


def _fixture(folder: Path, change=None, total_parameters: int | None = None, after=None) -> None:
    tensors = expected_tensors(FIXTURE_CONFIG)
    if change:
        change(tensors)
    write_checkpoint(folder, FIXTURE_CONFIG, tensors, shards=2, total_parameters=total_parameters)
    if after:
        after(folder)


def _edit_index(key: str, value: Any):
    def edit(folder: Path) -> None:
        index = folder / "model.safetensors.index.json"
        document = json.loads(index.read_text())
        document["metadata"][key] = value
        index.write_text(json.dumps(document, indent=2))

    return edit


def make_rule_fixtures(root: Path) -> list[Path]:
    """Write every checkpoint rule fixture folder under `root` (tests/rules); return them."""
    params = 16 * 8 * 2 + 2 * (8 * 8 * 2 + 8 * 4 * 2 + 3 * 8 * 16 + 2 * 8) + 8
    wrong: dict[str, Any] = {
        "PL301/checkpoint-wo": {
            "change": lambda t: t.update({"model.layers.1.self_attn.o_proj.weight": ("BF16", (4, 8))})
        },
        "PL501/checkpoint-params": {"total_parameters": params + 128},
        "PL502/checkpoint-size": {"after": _edit_index("total_size", params * 4)},
        "PL503/checkpoint-missing": {"change": lambda t: t.pop("lm_head.weight")},
        "PL504/checkpoint-unexpected": {
            "change": lambda t: t.update({"model.layers.2.mlp.up_proj.weight": ("BF16", (16, 8))})
        },
        "PL505/checkpoint-shape": {
            "change": lambda t: t.update({"model.layers.0.self_attn.k_proj.weight": ("BF16", (8, 8))})
        },
        "PL506/checkpoint-hostile": {"after": lambda f: write_raw(f / "model-00002-of-00002.safetensors", '{"a": ', 0)},
        "PL507/checkpoint-lfs": {"after": lambda f: (f / "model-00001-of-00002.safetensors").write_bytes(LFS_POINTER)},
    }
    written = []
    for name, options in wrong.items():
        code = name.split("/")[0]
        _fixture(root / name, **options)
        _fixture(root / code / "checkpoint-right", total_parameters=params)
        written += [root / name, root / code / "checkpoint-right"]
    return written


def make_example(root: Path) -> Path:
    """examples/checkpoint/tiny-llama: the README's worked example. Its weights were saved
    with W_O projecting to one head's width (the article's mistake) and without lm_head."""

    def change(tensors: dict) -> None:
        tensors.pop("lm_head.weight")
        for layer in range(2):
            tensors[f"model.layers.{layer}.self_attn.o_proj.weight"] = ("BF16", (4, 8))

    folder = root / "tiny-llama"
    _fixture(folder, change)
    return folder


if __name__ == "__main__":
    repository = Path(__file__).resolve().parents[2]
    for folder in [
        *make_rule_fixtures(repository / "tests" / "rules"),
        make_example(repository / "examples" / "checkpoint"),
    ]:
        print(folder)
