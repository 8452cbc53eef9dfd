"""Composite (multimodal) Hugging Face configs: a text model plus towers and a projector.

tests/hf/composite/golden.json holds, for every published config under tests/hf/composite/,
the count transformers gives the class its `architectures` names (the whole model), split
by part: `text` (the language model and its head), `vision` (the tower), `projector`
(tools/make_golden_composite.py, meta device). These tests never need torch.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from param_lint.checkpoint.names import expected_tensors
from param_lint.cli import main
from param_lint.counting import gated_deltanet_terms
from param_lint.dialects import CannotCount, ConfigError, Reader, read
from param_lint.dialects.hf import FAMILIES, OWN_CONFIGS_ONLY
from param_lint.dialects.hf import read as read_hf
from param_lint.load import load_path
from param_lint.parts import LayerGroup, Linear, count_model

COMPOSITE = Path(__file__).parent / "hf" / "composite"
GOLDEN = {k: v for k, v in json.loads((COMPOSITE / "golden.json").read_text()).items() if k != "_meta"}


def config_data(relpath: str) -> dict:
    return json.loads((COMPOSITE / relpath).read_text())


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


@pytest.mark.parametrize("relpath", sorted(k for k, v in GOLDEN.items() if "active" in v), ids=str)
def test_active_count_of_a_mixture_of_experts_text_model_equals_transformers(relpath: str) -> None:
    config = config_of(relpath)
    assert count_model(config.architecture, config.parts).active == GOLDEN[relpath]["active"]


def test_an_entry_from_another_release_than_the_reference_says_why() -> None:
    meta = json.loads((COMPOSITE / "golden.json").read_text())["_meta"]
    for entry in GOLDEN.values():
        if entry["transformers"] != meta["transformers"]:
            # the reference cannot build it (qwen3_5: transformers 5 only), or the file means
            # the other release's count (LFM2.5-VL's projector_use_layernorm: false)
            reason = entry.get("not_in") == [meta["transformers"]] or entry["means"].startswith(entry["transformers"])
            assert reason


def test_every_composite_family_has_a_published_config() -> None:
    # encoders also have parts (token types, heads): tests/test_hf_encoders.py checks them
    encoders = json.loads((COMPOSITE.parent / "golden_encoders.json").read_text())
    encoder_types = {entry["model_type"] for key, entry in encoders.items() if key != "_meta"}
    composites = {name for name, module in FAMILIES.items() if hasattr(module, "parts")} - encoder_types
    # a family registered under two spellings (lfm2_vl, lfm2-vl) is backed by a config of either;
    # those backed by configs of our own alone are tests/test_hf_composite_own_configs.py's
    published = {FAMILIES[entry["model_type"]] for entry in GOLDEN.values()}
    assert {FAMILIES[name] for name in composites - OWN_CONFIGS_ONLY} == published
    assert not {FAMILIES[name] for name in OWN_CONFIGS_ONLY} & published


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


@pytest.mark.parametrize("model_type", ["llava", "llava_next", "mistral3"])
@pytest.mark.parametrize("value", [None, []])
def test_a_vision_feature_layer_that_names_no_layer_is_pl101_at_it(model_type: str, value: object) -> None:
    # transformers 4.57.6 and 5.24.0 refuse null (len(None)); an empty list builds a projector
    # whose input is 0 wide, which no forward pass can feed: it was counted as one layer.
    with pytest.raises(ConfigError) as caught:
        composite(model_type, vision_feature_layer=value)
    assert caught.value.path == ("vision_feature_layer",)


@pytest.mark.parametrize("model_type", ["llava", "llava_next"])
def test_a_null_multimodal_projector_bias_builds_no_projector_bias(model_type: str) -> None:
    # nn.Linear(bias=None) has none, as transformers 4.57.6 builds it (5.24.0 refuses the null).
    projector = next(
        p.spec for p in composite(model_type, multimodal_projector_bias=None).parts if p.name == "projector"
    )
    assert not any(layer.bias for layer in projector.layers if isinstance(layer, Linear))


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
        ("qwen3_vl", {"vision_config": {"num_position_embeddings": 0}}, ("vision_config", "num_position_embeddings")),
        (
            "qwen3_vl",
            {"vision_config": {"deepstack_visual_indexes": ["8"]}},
            ("vision_config", "deepstack_visual_indexes"),
        ),
        ("qwen3_vl_moe", {"text_config": {"num_experts_per_tok": 500}}, ("text_config", "num_experts_per_tok")),
        ("qwen2_vl", {"vision_config": {"mlp_ratio": "4"}}, ("vision_config", "mlp_ratio")),
        ("qwen2_vl", {"vision_config": {"mlp_ratio": -1}}, ("vision_config", "mlp_ratio")),
        ("glm4v_moe", {"vision_config": {"out_hidden_size": 0}}, ("vision_config", "out_hidden_size")),
        ("glm4v_moe", {"text_config": {"attention_bias": "yes"}}, ("text_config", "attention_bias")),
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


def deepstack_mergers(config) -> int:
    return sum(part.spec.copies for part in config.parts if isinstance(part.spec, LayerGroup))


def test_qwen3_vl_has_one_deepstack_merger_per_listed_vision_layer() -> None:
    assert deepstack_mergers(composite("qwen3_vl")) == 3  # Qwen3VLVisionConfig's [8, 16, 24]
    assert deepstack_mergers(composite("qwen3_vl", vision_config={"deepstack_visual_indexes": [5, 11]})) == 2
    assert deepstack_mergers(composite("qwen3_vl", vision_config={"deepstack_visual_indexes": []})) == 0


def test_qwen3_vl_deepstack_mergers_are_projector_parameters() -> None:
    data = config_data("qwen3_vl/qwen3-vl-8b-instruct.json")
    with_mergers = read_hf(Reader(data))
    data["vision_config"]["deepstack_visual_indexes"] = []
    without = read_hf(Reader(data))
    parts = dict(count_model(with_mergers.architecture, with_mergers.parts).parts)
    fewer = dict(count_model(without.architecture, without.parts).parts)
    merged = 1152 * 4  # 2 x 2 patches of the 1152-wide tower, into the 4096-wide text model
    one_merger = 2 * merged + merged * merged + merged + merged * 4096 + 4096  # layernorm, fc1, fc2
    assert parts["projector"] - fewer["projector"] == 3 * one_merger
    assert (parts["vision"], parts["text"]) == (fewer["vision"], fewer["text"])


def published_listing(path: Path) -> tuple[dict[str, tuple[int, ...]], list[tuple[str, int, tuple[int, ...]]]]:
    """Every tensor of a table `| `name` (xN layers) | `[shape]` | ...` whose names write a run
    of layer (or expert) numbers as `0-93`: one row for the 94 layers. A row whose count is less
    than its run (Gemma 4's `0-58` (x50 layers): W_V on the sliding layers only) does not say
    which layers it holds: it comes back apart, as (name with the run, count, shape)."""
    tensors, partial = {}, []
    row = r"^\| `([^`]+)`(?: \(×(\d+) \w+(?:, ×(\d+) \w+)?\))?[^|]*\| `\[([\d, ]+)\]`"
    for name, count, count_2, shape_text in re.findall(row, path.read_text(), re.MULTILINE):
        shape = tuple(int(n) for n in shape_text.split(","))
        names = [name]
        while any(re.search(r"\.(\d+)-(\d+)\.", n) for n in names):
            names = [
                n.replace(run[0], f".{number}.", 1)
                for n in names
                for run in [re.search(r"\.(\d+)-(\d+)\.", n)]
                for number in range(int(run[1]), int(run[2]) + 1)
            ]
        stated = int(count or 1) * int(count_2 or 1)
        if count and stated < len(names):
            partial.append((name, stated, shape))
        else:
            tensors.update(dict.fromkeys(names, shape))
    return tensors, partial


def in_run(name: str, run_name: str) -> bool:
    """Whether `name` is one of the names a row's `0-58`-style run covers."""
    pattern = re.escape(run_name)
    for first, last in re.findall(r"\.(\d+)-(\d+)\.", run_name):
        pattern = pattern.replace(re.escape(f".{first}-{last}."), r"\.(\d+)\.", 1)
    found = re.fullmatch(pattern, name)
    runs = re.findall(r"\.(\d+)-(\d+)\.", run_name)
    return bool(found) and all(int(a) <= int(n) <= int(b) for n, (a, b) in zip(found.groups(), runs, strict=True))


PUBLISHED = Path(__file__).parent / "checkpoint" / "published"
# published checkpoints whose tensor listing we hold (tests/checkpoint/published/README.md)
LISTED = {
    "qwen3_vl/qwen3-vl-8b-instruct.json": "qwen3-vl-8b-instruct",
    "qwen3_vl_moe/qwen3-vl-30b-a3b-instruct.json": "qwen3-vl-30b-a3b-instruct",
    "qwen3_vl_moe/qwen3-vl-235b-a22b-instruct.json": "qwen3-vl-235b-a22b-instruct",
    "glm4v_moe/glm-4.5v.json": "glm-4.5v",
    "gemma4/gemma-4-31b-it.json": "gemma-4-31b-it",
}


def listed_totals(path: Path) -> tuple[int, int]:
    """(tensors, parameters) as the listing's header states them."""
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\*\*: ([\d,]+)$", path.read_text(), re.MULTILINE)]
    return numbers[0], numbers[1]


@pytest.mark.parametrize("relpath", sorted(LISTED), ids=str)
def test_tensor_names_and_shapes_are_the_published_checkpoints(relpath: str) -> None:
    listing = PUBLISHED / LISTED[relpath] / "tensors.md"
    published, partial = published_listing(listing)
    config = config_of(relpath)
    breakdown = count_model(config.architecture, config.parts)
    expected = expected_tensors(config.family, config.architecture, breakdown, config_data(relpath), config.parts)
    stored = {**expected.tensors, **expected.buffers}  # a checkpoint also holds persistent buffers
    shapes = {name: tensor.shape for name, tensor in stored.items()}
    for run_name, count, shape in partial:  # rows that do not say which layers: count and shape
        covered = [name for name in shapes if name not in published and in_run(name, run_name)]
        assert (len(covered), {shapes[name] for name in covered}) == (count, {shape}), run_name
        published = {**published, **dict.fromkeys(covered, shape)}
    assert shapes == published
    buffers = sum(tensor.numel for tensor in expected.buffers.values())  # not parameters: not counted
    assert (len(published), breakdown.total + buffers) == listed_totals(listing)


def test_qwen2_vl_mlp_width_is_embed_dim_times_mlp_ratio_rounded_down() -> None:
    tower = composite("qwen2_vl", vision_config={"embed_dim": 100, "mlp_ratio": 2.5}).parts[0].spec
    assert (tower.d_model, tower.d_ff) == (100, 250)
    assert composite("qwen2_vl", vision_config={"embed_dim": 3, "mlp_ratio": 1.5}).parts[0].spec.d_ff == 4


def test_glm4v_moe_vision_blocks_are_out_hidden_size_wide_and_the_merger_intermediate_size() -> None:
    config = composite("glm4v_moe", vision_config={"out_hidden_size": 64, "intermediate_size": 96})
    tower, merger = config.parts[0].spec, config.parts[2].spec
    assert tower.d_ff == 64
    assert [layer.d_out for layer in merger.layers if isinstance(layer, Linear)] == [64, 96, 96, 64]


def qwen3_5_small(**top) -> dict:
    data = json.loads((COMPOSITE / "qwen3_5" / "qwen3.5-0.8b.json").read_text())
    return {**data, **top}


def test_qwen3_5_ties_lm_head_by_the_top_level_flag_only() -> None:
    # transformers 5.24.0 builds lm_head for Qwen3.5-0.8B once the top-level key is gone, whatever
    # text_config says (checked: 852,985,920 -> 1,107,265,600, one (248320, 1024) matrix more)
    tied = read_hf(Reader(qwen3_5_small()))
    data = qwen3_5_small()
    del data["tie_word_embeddings"]
    untied = read_hf(Reader(data))
    assert data["text_config"]["tie_word_embeddings"] is True
    extra = count_model(untied.architecture, untied.parts).total - count_model(tied.architecture, tied.parts).total
    assert extra == 248320 * 1024


def test_qwen3_5_keeps_qwen3_next_deltanet_weights_in_four_projections() -> None:
    arch = read_hf(Reader(qwen3_5_small())).architecture
    deltanet = next(group for group in arch.layers if group.mixers[0] != "attention").mixers[0]
    fused = replace(deltanet, split=False)
    names = {term.name for term in gated_deltanet_terms(arch, deltanet)}
    assert {"W_qkv", "W_z", "W_b", "W_a"} <= names and "W_qkvz" not in names
    assert sum(t.params for t in gated_deltanet_terms(arch, deltanet)) == sum(
        t.params for t in gated_deltanet_terms(arch, fused)
    )


def lfm2_vl_450m(**top) -> dict:
    return {**json.loads((COMPOSITE / "lfm2-vl" / "lfm2-vl-450m.json").read_text()), **top}


def test_lfm2_vl_is_one_family_under_both_spellings() -> None:
    hyphen = read_hf(Reader(lfm2_vl_450m()))
    underscore = read_hf(Reader(lfm2_vl_450m(model_type="lfm2_vl")))
    assert count_model(hyphen.architecture, hyphen.parts) == count_model(underscore.architecture, underscore.parts)


def test_lfm2_vl_projector_layernorm_follows_the_flag() -> None:
    with_norm = read_hf(Reader(lfm2_vl_450m())).parts[1].spec
    without = read_hf(Reader(lfm2_vl_450m(projector_use_layernorm=False))).parts[1].spec
    assert len(with_norm.layers) == len(without.layers) + 1
    assert with_norm.layers[0].width == 768 * 2 * 2  # the vision width after a 2x2 pixel unshuffle


def test_qwen2_5_omni_published_class_name_is_the_whole_model_and_audio_output_adds_two_parts() -> None:
    data = config_data("qwen2_5_omni/qwen2.5-omni-3b.json")  # architectures: the preview's Qwen2_5OmniModel
    golden = GOLDEN["qwen2_5_omni/qwen2.5-omni-3b.json"]
    whole = read_hf(Reader(data | {"architectures": ["Qwen2_5OmniForConditionalGeneration"]}))
    assert count_model(whole.architecture, whole.parts).total == golden["total"]
    thinker = read_hf(Reader(data | {"enable_audio_output": False}))
    counted = count_model(thinker.architecture, thinker.parts)
    assert counted.total == golden["total"] - golden["parts"]["talker"] - golden["parts"]["token2wav"]


def test_qwen2_5_omni_null_audio_output_is_the_thinker_alone_as_4_57_builds_it() -> None:
    """Qwen2_5OmniForConditionalGeneration tests `if config.enable_audio_output:`: transformers
    4.57.6 builds no talker and no token2wav for null (4,703,464,448; 5.24.0 refuses the null)."""
    data = config_data("qwen2_5_omni/qwen2.5-omni-3b.json") | {"enable_audio_output": None}
    counted = read_hf(Reader(data))
    assert count_model(counted.architecture, counted.parts).total == 4_703_464_448


def test_siglip_null_vision_use_head_has_no_pooling_head_as_4_57_builds_it() -> None:
    """SiglipVisionTransformer's use_head is vision_use_head as written when the config has the
    attribute: transformers 4.57.6 builds no pooling head for null (862,722,146; 5.24.0 refuses it)."""
    data = config_data("siglip/siglip-so400m-patch14-384.json")
    data["vision_config"]["vision_use_head"] = None
    counted = read_hf(Reader(data))
    assert count_model(counted.architecture, counted.parts).total == 862_722_146


def test_gemma4_e2b_shares_keys_and_values_in_its_last_20_layers() -> None:
    counted = count_model(config_of("gemma4/gemma-4-e2b.json").architecture)
    copies = {section.name: section.copies for section in counted.sections}
    assert copies["shared-KV attention + MLP layer"] + copies["shared-KV global attention + MLP layer"] == 20
    assert copies["attention + MLP layer"] + copies["global attention + MLP layer"] == 15
    shared = {t.name: t.shape for s in counted.sections if s.name == "shared-KV attention + MLP layer" for t in s.terms}
    assert "W_K" not in shared and shared["W_1"] == (1536, 2 * 6144)  # use_double_wide_mlp
