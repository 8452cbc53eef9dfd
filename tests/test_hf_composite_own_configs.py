"""Composite families checked on configs of our own (tests/hf/composite_own/): the config
classes' defaults, and reduced widths that move every count-deciding key the published files
leave alone (other cross-attention layers, aspect ratios, tiles, talker and vocoder shapes);
golden.json there is tools/make_golden_composite.py's output for them under transformers
4.57.6 and 5.24.0. All four are registered, each with a published config in
tests/hf/composite/ (gemma4's E2B and E4B too, beside the 26B-A4B); the files here move the
keys those leave alone (gemma4 against 5.24.0 alone: 4.57.6 has no gemma4). The modules are
called directly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.dialects import Reader
from param_lint.dialects.hf import FAMILIES, gemma4, mllama, qwen2_5_omni, voxtral
from param_lint.parts import count_model

HERE = Path(__file__).parent / "hf" / "composite_own"
GOLDEN = {k: v for k, v in json.loads((HERE / "golden.json").read_text()).items() if k != "_meta"}
MODULES = {"gemma4": gemma4, "mllama": mllama, "qwen2_5_omni": qwen2_5_omni, "voxtral": voxtral}


def breakdown(relpath: str):
    reader = Reader(json.loads((HERE / relpath).read_text()))
    module = MODULES[relpath.split("/")[0]]
    return count_model(module.architecture(reader), module.parts(reader))


@pytest.mark.parametrize("relpath", sorted(GOLDEN), ids=str)
def test_each_part_equals_transformers(relpath: str) -> None:
    counted = breakdown(relpath)
    assert counted.total == GOLDEN[relpath]["total"]
    assert dict(counted.parts) == GOLDEN[relpath]["parts"]


def test_every_family_checked_here_is_registered() -> None:
    assert set(MODULES) <= set(FAMILIES)


def test_mllama_cross_attention_layers_are_their_own_kind_of_layer() -> None:
    sections = {section.name: section.copies for section in breakdown("mllama/small.json").sections}
    assert sections["attention + MLP layer"] == 8
    assert sections["cross-attention + MLP layer"] == 2


def test_mllama_embedding_has_eight_rows_the_head_lacks() -> None:
    counted = breakdown("mllama/small.json")
    assert counted.terms("W_E")[0].shape == (1008, 512)
    assert counted.terms("W_U")[0].shape == (512, 1000)


def test_omni_without_audio_output_is_the_thinker_alone() -> None:
    parts = dict(breakdown("qwen2_5_omni/thinker-only.json").parts)
    assert set(parts) == {"text", "audio", "vision", "projector"}
    assert dict(breakdown("qwen2_5_omni/defaults.json").parts).keys() >= {"talker", "token2wav"}


def test_gemma4_per_layer_embeddings_are_their_own_part() -> None:
    parts = dict(breakdown("gemma4/text-defaults.json").parts)  # hidden_size_per_layer_input: 256 by default
    assert parts["per-layer"] == 262144 * 30 * 256 + 2304 * 30 * 256 + 256 + 30 * (2 * 2304 * 256 + 2304)


def test_gemma4_every_layer_may_share_its_keys_and_values() -> None:
    names = {section.name for section in breakdown("gemma4/all-shared-double-wide.json").sections}
    assert "shared-KV attention + MLP layer" in names and "attention + MLP layer" not in names
