"""Composite families checked on configs of our own (tests/hf/composite_own/): the config
classes' defaults, and reduced widths that move every count-deciding key the published files
leave alone (other cross-attention layers, aspect ratios, tiles, talker and vocoder shapes);
golden.json there is tools/make_golden_composite.py's output for them under transformers
4.57.6 and 5.24.0. mllama, voxtral, qwen2_5_omni, siglip and glm4v are registered (their
published configs are in tests/hf/composite/); so is gemma4, whose published E2B/E4B configs are there too and
whose other per-layer embedding, KV-shared and per_layer_config variants are checked here
against 5.24.0 alone (4.57.6 has no gemma4); llava_next and siglip2 are registered on these
configs alone (OWN_CONFIGS_ONLY: no verbatim published config of them was found;
tests/hf/composite/README.md says what was searched), so a user's file is counted.
The modules are called directly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.dialects import Reader, read
from param_lint.dialects.hf import (
    FAMILIES,
    OWN_CONFIGS_ONLY,
    gemma4,
    glm4v,
    llava_next,
    mllama,
    qwen2_5_omni,
    siglip,
    siglip2,
    voxtral,
)
from param_lint.load import load_path
from param_lint.parts import count_model

HERE = Path(__file__).parent / "hf" / "composite_own"
GOLDEN = {k: v for k, v in json.loads((HERE / "golden.json").read_text()).items() if k != "_meta"}
MODULES = {
    "gemma4": gemma4,
    "glm4v": glm4v,
    "llava_next": llava_next,
    "mllama": mllama,
    "qwen2_5_omni": qwen2_5_omni,
    "siglip": siglip,
    "siglip2": siglip2,
    "voxtral": voxtral,
}


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


@pytest.mark.parametrize("relpath", sorted(k for k in GOLDEN if k.split("/")[0] in OWN_CONFIGS_ONLY), ids=str)
def test_a_family_backed_by_these_configs_alone_counts_them_as_a_user_file(relpath: str) -> None:
    document = load_path(str(HERE / relpath)).document
    assert document is not None
    config, findings = read(document)
    assert findings == [] and config is not None
    assert config.family == GOLDEN[relpath]["model_type"]
    assert count_model(config.architecture, config.parts).total == GOLDEN[relpath]["total"]


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


def test_llava_next_is_llava_plus_one_text_wide_image_newline() -> None:
    from param_lint.dialects.hf import llava

    reader = Reader({**json.loads((HERE / "llava_next" / "small-llama-clip.json").read_text()), "model_type": "llava"})
    as_llava = count_model(llava.architecture(reader), llava.parts(reader))
    assert breakdown("llava_next/small-llama-clip.json").total - as_llava.total == 96  # text_config hidden_size


def test_glm4v_text_attention_is_biased_whatever_attention_bias_says() -> None:
    data = json.loads((HERE / "glm4v" / "small.json").read_text())
    assert data["text_config"]["attention_bias"] is False  # and transformers still builds the biases
    assert glm4v.architecture(Reader(data)).qkv_bias
