"""Decoder families backed by configs of our own alone (OWN_CONFIGS_ONLY: no published config
of them was found). tests/hf/golden_own.json is tools/make_golden.py's output for
tests/hf/configs_own/ under transformers 4.57.6 and 5.24.0, which agree on every file; a user's
file of such a type is counted like any other."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.counting import count
from param_lint.dialects import read
from param_lint.dialects.hf import OWN_CONFIGS_ONLY
from param_lint.load import load_path

HERE = Path(__file__).parent / "hf" / "configs_own"
RECORDED = json.loads((HERE.parent / "golden_own.json").read_text())
META = RECORDED["_meta"]
GOLDEN = {k: v for k, v in RECORDED.items() if k != "_meta"}


def config_of(relpath: str):
    document = load_path(str(HERE / relpath)).document
    assert document is not None
    config, findings = read(document)
    assert findings == [] and config is not None
    return config


@pytest.mark.parametrize("relpath", sorted(GOLDEN), ids=str)
def test_count_equals_transformers(relpath: str) -> None:
    config = config_of(relpath)
    assert config.family == GOLDEN[relpath]["model_type"]
    assert count(config.architecture).total == GOLDEN[relpath]["total"]
    assert GOLDEN[relpath]["active"] is None and not config.architecture.is_moe


def test_both_releases_agree_on_every_file_here() -> None:
    assert META["transformers"] == "4.57.6" and META["compared_with"] == ["5.24.0"]
    assert all("also" not in entry and "refused_by" not in entry for entry in GOLDEN.values())


def test_every_decoder_folder_here_is_a_family_backed_by_these_configs_alone() -> None:
    assert {entry["model_type"] for entry in GOLDEN.values()} <= OWN_CONFIGS_ONLY
    assert not any((HERE.parent / "configs" / folder.name).exists() for folder in HERE.iterdir() if folder.is_dir())


def test_glm4_9b_0414s_documented_widths_give_its_published_size() -> None:
    data = json.loads((HERE / "glm4" / "glm4-9b-0414-dimensions.json").read_text())
    assert (data["hidden_size"], data["num_hidden_layers"], data["intermediate_size"]) == (4096, 40, 13696)
    assert count(config_of("glm4/glm4-9b-0414-dimensions.json").architecture).total == 9_400_279_040


def test_glm4_biases_w_q_w_k_w_v_but_never_w_o() -> None:
    biased = count(config_of("glm4/small.json").architecture)
    unbiased = count(config_of("glm4/small-unbiased-tied.json").architecture)
    names = {term.name for section in biased.sections for term in section.terms}
    assert {"b_Q", "b_K", "b_V"} <= names and "b_O" not in names
    assert not {"b_Q", "b_K", "b_V"} & {term.name for section in unbiased.sections for term in section.terms}
