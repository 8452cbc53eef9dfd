"""Tensor names: param-lint names every weight exactly as transformers' state dict does.

tests/hf/tensor_names.json holds, for every config under tests/hf/configs/ (and variants
that switch on options none of them uses), tests/hf/composite/ and tests/hf/encoders/,
transformers' `named_parameters()` (as a digest of every name and shape, and as readable
patterns), the state-dict copies of tied weights, the persistent buffers, and for a
multimodal class the layout save_pretrained writes (tools/make_tensor_names.py, meta
device). These tests never need torch.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from param_lint.checkpoint.compare import _canonical
from param_lint.checkpoint.names import NAMINGS, expected_tensors
from param_lint.dialects import read
from param_lint.dialects.hf import FAMILIES
from param_lint.document import Document
from param_lint.parts import count_model

HF = Path(__file__).resolve().parents[1] / "hf"
RECORDED = {k: v for k, v in json.loads((HF / "tensor_names.json").read_text()).items() if k != "_meta"}
# Remote-code models counted as an alias: recorded from the model's own code (tools/make_golden_remote.py).
RECORDED.update(
    {
        f"remote/{key}": {**entry, "config": f"remote/{entry['config']}"}
        for key, entry in json.loads((HF / "golden_remote.json").read_text()).items()
    }
)


def family(entry: dict) -> str:
    """The model_type: the folder a recorded config is in (configs/, composite/, encoders/)."""
    return Path(entry["config"]).parent.name


def config_path(key: str) -> Path:
    return HF / "configs" / key if (HF / "configs" / key).exists() else HF / key


NAMED = {k: v for k, v in RECORDED.items() if family(v) in NAMINGS}


def expected_for(entry: dict):
    data = {**json.loads(config_path(entry["config"]).read_text()), **entry["overrides"]}
    config, problems = read(Document(entry["config"], data))
    assert config is not None, problems
    breakdown = count_model(config.architecture, config.parts)
    return expected_tensors(config.family, config.architecture, breakdown, data, config.parts)


def collapse(name: str) -> str:
    return re.sub(r"(?<=\.)\d+(?=\.)", "{}", name)


def patterns(pairs) -> dict[str, list]:
    grouped: dict[str, dict[str, int]] = {}
    for name, shape in pairs:
        counts = grouped.setdefault(collapse(name), {})
        counts[json.dumps(list(shape))] = counts.get(json.dumps(list(shape)), 0) + 1
    return {p: [[json.loads(s), n] for s, n in sorted(c.items())] for p, c in grouped.items()}


def test_naming_tables_are_for_supported_families():
    assert set(NAMINGS) <= set(FAMILIES)


def test_every_named_family_is_checked_against_transformers():
    checked = {family(entry) for entry in NAMED.values()}
    # a model type registered under two spellings (lfm2-vl, lfm2_vl: one module) is checked by either
    assert {name for name in NAMINGS if any(FAMILIES[name] is FAMILIES[other] for other in checked)} == set(NAMINGS)


@pytest.mark.parametrize("key", sorted(NAMED))
def test_names_and_shapes_match_transformers(key):
    entry = NAMED[key]
    tensors = expected_for(entry).tensors
    pairs = [(name, t.shape) for name, t in tensors.items()]
    assert patterns(pairs) == entry["patterns"]  # readable diff first
    lines = sorted(f"{name} {','.join(map(str, shape))}" for name, shape in pairs)
    assert hashlib.sha256("\n".join(lines).encode()).hexdigest() == entry["sha256"]
    assert len(tensors) == entry["count"]


@pytest.mark.parametrize("key", sorted(NAMED))
def test_state_dict_copies_and_buffers_match_transformers(key):
    entry = NAMED[key]
    expected = expected_for(entry)
    assert {name: list(shape) for name, shape in expected.copies.items()} == entry["copies"]
    assert patterns((name, t.shape) for name, t in expected.buffers.items()) == entry["buffers"]


SAVED = sorted(k for k, v in NAMED.items() if "saved" in v)


@pytest.mark.parametrize("key", SAVED)
def test_the_renames_are_the_ones_transformers_applies_on_load(key):
    assert NAMINGS[family(NAMED[key])].renames == tuple(tuple(pair) for pair in NAMED[key]["conversion"])


@pytest.mark.parametrize("key", SAVED)
def test_a_checkpoint_in_the_layout_save_pretrained_writes_is_renamed_to_the_parameters(key):
    expected = expected_for(NAMED[key])
    saved = NAMED[key]["saved"]
    renamed = {_canonical(name, expected): shapes for name, shapes in saved.items()}
    assert renamed == NAMED[key]["patterns"]
