"""Hugging Face configs: param-lint's count equals transformers' own, to the parameter.

tests/hf/golden.json holds, for every real published config under tests/hf/configs/,
the count of the model transformers builds from it (tools/make_golden.py, meta device).
These tests never need torch: they read the recorded numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.count import count
from param_lint.dialects import ConfigError, Reader, read
from param_lint.dialects.hf import FAMILIES
from param_lint.dialects.hf import read as read_hf
from param_lint.load import load_path, load_text

HF = Path(__file__).parent / "hf"
GOLDEN = {key: entry for key, entry in json.loads((HF / "golden.json").read_text()).items() if key != "_meta"}


def config_of(relpath: str):
    document = load_path(str(HF / "configs" / relpath)).document
    assert document is not None
    config, findings = read(document)
    assert not findings, findings
    assert config is not None
    return config


@pytest.mark.parametrize("relpath", sorted(GOLDEN), ids=str)
def test_count_equals_transformers(relpath: str) -> None:
    golden = GOLDEN[relpath]
    config = config_of(relpath)
    breakdown = count(config.architecture)
    assert config.dialect == golden["model_type"]
    assert breakdown.total == golden["total"]
    if golden["active"] is not None:
        assert config.architecture.is_moe
        assert breakdown.active == golden["active"]
    else:
        assert not config.architecture.is_moe


def test_every_family_has_golden_configs_and_every_golden_type_a_family() -> None:
    assert {entry["model_type"] for entry in GOLDEN.values()} == set(FAMILIES)


def test_unknown_model_type_lists_the_supported_types() -> None:
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader({"model_type": "no_such_model"}))
    assert caught.value.path == ("model_type",)
    assert "no_such_model" in caught.value.message
    for model_type in FAMILIES:
        assert model_type in caught.value.message


def test_unknown_model_type_is_a_pl101_finding_at_the_key() -> None:
    document = load_text("config.json", '{\n  "model_type": "no_such_model"\n}\n', "json").document
    config, findings = read(document)
    assert config is None
    assert [(f.code, f.line) for f in findings] == [("PL101", 2)]


@pytest.mark.parametrize("model_type", sorted(FAMILIES))
def test_wrong_typed_width_fails_at_its_key(model_type: str) -> None:
    relpath = next(key for key, entry in sorted(GOLDEN.items()) if entry["model_type"] == model_type)
    data = json.loads((HF / "configs" / relpath).read_text())
    width_key = next(key for key in ("hidden_size", "n_embd", "d_model") if key in data)
    data[width_key] = "big"
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(data))
    assert caught.value.path == (width_key,)
    assert "integer" in caught.value.message
