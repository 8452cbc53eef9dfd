"""Composite (multimodal) Hugging Face configs: a text model plus towers and a projector.

tests/hf/composite/golden.json holds, for every published config under tests/hf/composite/,
the count transformers gives the class its `architectures` names (the whole model), split
by part: `text` (the language model and its head), `vision` (the tower), `projector`
(tools/make_golden_composite.py, meta device). These tests never need torch.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.cli import main
from param_lint.dialects import CannotCount, ConfigError, Reader, read
from param_lint.dialects.hf import FAMILIES
from param_lint.dialects.hf import read as read_hf
from param_lint.load import load_path
from param_lint.parts import count_model

COMPOSITE = Path(__file__).parent / "hf" / "composite"
GOLDEN = {k: v for k, v in json.loads((COMPOSITE / "golden.json").read_text()).items() if k != "_meta"}


def config_of(relpath: str):
    document = load_path(str(COMPOSITE / relpath)).document
    assert document is not None
    config, findings = read(document)
    assert not findings, findings
    assert config is not None
    return config


@pytest.mark.parametrize("relpath", sorted(GOLDEN), ids=str)
def test_total_equals_transformers(relpath: str) -> None:
    config = config_of(relpath)
    assert config.family == GOLDEN[relpath]["model_type"]
    assert count_model(config.architecture, config.parts).total == GOLDEN[relpath]["total"]


@pytest.mark.parametrize("relpath", sorted(GOLDEN), ids=str)
def test_each_part_equals_transformers(relpath: str) -> None:
    config = config_of(relpath)
    assert dict(count_model(config.architecture, config.parts).parts) == GOLDEN[relpath]["parts"]


def test_every_composite_family_has_a_published_config() -> None:
    # encoders also have parts (token types, heads): tests/test_hf_encoders.py checks them
    encoders = json.loads((COMPOSITE.parent / "golden_encoders.json").read_text())
    encoder_types = {entry["model_type"] for key, entry in encoders.items() if key != "_meta"}
    composites = {name for name, module in FAMILIES.items() if hasattr(module, "parts")} - encoder_types
    assert composites == {entry["model_type"] for entry in GOLDEN.values()}


def test_where_transformers_versions_disagree_the_golden_says_which_the_file_means() -> None:
    for entry in GOLDEN.values():
        assert ("also" in entry) == ("means" in entry)


def test_json_lists_each_part_and_params_is_the_whole_model(capsys) -> None:
    path = str(COMPOSITE / "llava" / "llava-1.5-7b-hf.json")
    main(["--format", "json", path])
    entry = json.loads(capsys.readouterr().out)["files"][0]
    golden = GOLDEN["llava/llava-1.5-7b-hf.json"]
    assert entry["params"] == golden["total"]
    assert [part["name"] for part in entry["parts"]] == ["text", "vision", "projector"]
    assert {part["name"]: part["params"] for part in entry["parts"]} == golden["parts"]


def test_breakdown_text_shows_each_part(capsys) -> None:
    main(["--breakdown", str(COMPOSITE / "gemma3" / "gemma-3-12b-it.json")])
    out = capsys.readouterr().out
    for part, params in GOLDEN["gemma3/gemma-3-12b-it.json"]["parts"].items():
        assert f"  {part} part" in out
        assert f"{params:,}" in out


def test_a_flat_model_has_no_parts_in_json(capsys) -> None:
    main(["--format", "json", str(Path(__file__).parent / "hf" / "configs" / "llama")])
    assert all("parts" not in entry for entry in json.loads(capsys.readouterr().out)["files"])


def test_declared_count_of_the_whole_model_passes(tmp_path, capsys) -> None:
    data = json.loads((COMPOSITE / "gemma3" / "gemma-3-12b-it.json").read_text())
    data["expected_params"] = GOLDEN["gemma3/gemma-3-12b-it.json"]["total"]
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data))
    assert main([str(path)]) == 0


def test_declaring_the_text_model_alone_is_a_mismatch(tmp_path, capsys) -> None:
    data = json.loads((COMPOSITE / "gemma3" / "gemma-3-12b-it.json").read_text())
    data["expected_params"] = GOLDEN["gemma3/gemma-3-12b-it.json"]["parts"]["text"]
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data))
    assert main([str(path)]) == 1
    assert "PL201" in capsys.readouterr().out


def composite(model_type: str, **keys):
    return read_hf(Reader({"model_type": model_type, **keys}))


def test_text_model_is_the_family_text_config_names() -> None:
    config = composite("llava", text_config={"model_type": "qwen2", "hidden_size": 64, "num_attention_heads": 4})
    assert config.architecture.qkv_bias and not config.architecture.out_bias  # Qwen2's biases
    assert config.parts[1].spec.layers[-1].d_out == 64  # the projector ends at the text width


def test_vision_tower_is_the_one_vision_config_names() -> None:
    siglip = composite("llava", vision_config={"model_type": "siglip_vision_model"}).parts[0].spec
    clip = composite("llava").parts[0].spec
    assert siglip.pooling_head and not siglip.class_token
    assert clip.class_token and (clip.n_position, clip.d_model) == (577, 1024)  # LlavaConfig's CLIP ViT-L/336


def test_projector_input_grows_with_the_vision_layers_it_concatenates() -> None:
    one = composite("llava").parts[1].spec.layers[0]
    three = composite("llava", vision_feature_layer=[-2, -5, -8]).parts[1].spec.layers[0]
    assert three.d_in == 3 * one.d_in


def test_unknown_tower_cannot_be_counted_at_its_model_type() -> None:
    with pytest.raises(CannotCount) as caught:
        composite("llava", vision_config={"model_type": "no_such_tower"})
    assert caught.value.path == ("vision_config", "model_type")


def test_unknown_text_model_cannot_be_counted_at_its_model_type() -> None:
    with pytest.raises(CannotCount) as caught:
        composite("mistral3", text_config={"model_type": "no_such_model"})
    assert caught.value.path == ("text_config", "model_type")


@pytest.mark.parametrize(
    "model_type, keys, at",
    [
        ("gemma3", {"text_config": {"hidden_size": "big"}}, ("text_config", "hidden_size")),
        ("gemma3", {"vision_config": {"hidden_size": "big"}}, ("vision_config", "hidden_size")),
        ("mistral3", {"spatial_merge_size": 0}, ("spatial_merge_size",)),
        ("qwen2_5_vl", {"vision_config": {"depth": -1}}, ("vision_config", "depth")),
    ],
)
def test_bad_values_fail_at_their_nested_key(model_type: str, keys: dict, at: tuple) -> None:
    with pytest.raises(ConfigError) as caught:
        composite(model_type, **keys)
    assert caught.value.path == at


def test_text_findings_point_into_text_config() -> None:
    config = config_of("gemma3/gemma-3-12b-it.json")
    assert config.source("d_model") == ("text_config", "hidden_size")


def test_an_audio_tower_is_a_part_of_its_own(capsys) -> None:
    path = str(COMPOSITE / "qwen2_audio" / "qwen2-audio-7b.json")
    main(["--format", "json", path])
    entry = json.loads(capsys.readouterr().out)["files"][0]
    assert [part["name"] for part in entry["parts"]] == ["text", "audio", "projector"]
    assert entry["params"] == GOLDEN["qwen2_audio/qwen2-audio-7b.json"]["total"]


def test_an_unknown_audio_tower_cannot_be_counted_at_its_model_type() -> None:
    with pytest.raises(CannotCount) as caught:
        composite("qwen2_audio", audio_config={"model_type": "no_such_tower"})
    assert caught.value.path == ("audio_config", "model_type")
