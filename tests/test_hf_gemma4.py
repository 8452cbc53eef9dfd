"""Gemma 4 (model_type gemma4, transformers 5 only): what its layers hold and what is not counted yet.

The published Gemma-4-26B-A4B config's total, parts and active count are checked against
transformers 5.24.0 in tests/test_hf_composite.py (tests/hf/composite/golden.json), its tensor
names, and those of a dense, untied, biased variant, a clipped-linear vision tower and two
variants with per-layer embeddings and KV-shared layers, in tests/checkpoint/test_names.py
(tests/hf/tensor_names.json). Configs of our own with per-layer embeddings, KV-shared layers
and the double-wide MLP are checked in tests/test_hf_composite_own_configs.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.architecture import Attention
from param_lint.cli import main
from param_lint.dialects import CannotCount, ConfigError, Reader
from param_lint.dialects.hf import read as read_hf
from param_lint.parts import count_model

PUBLISHED = Path(__file__).parent / "hf" / "composite" / "gemma4" / "gemma-4-26b-a4b.json"


def gemma4(top: dict | None = None, **text) -> dict:
    """Gemma-4-26B-A4B's config with `text` changed in text_config and `top` at the top level."""
    data = json.loads(PUBLISHED.read_text())
    data["text_config"].update(text)
    data.update(top or {})
    return data


def breakdown(data: dict):
    config = read_hf(Reader(data))
    return count_model(config.architecture, config.parts)


def section(data: dict, name: str):
    return next(s for s in breakdown(data).sections if s.name == name)


def terms(data: dict, name: str) -> dict[str, tuple[int, ...]]:
    return {term.name: term.shape for term in section(data, name).terms}


def test_global_layers_have_512_wide_heads_and_their_keys_double_as_values() -> None:
    layer = terms(gemma4(), "global attention + MLP & MoE layer")
    assert layer["W_Q"] == (2816, 16 * 512)
    assert layer["W_K"] == (2816, 2 * 512)  # num_global_key_value_heads
    assert "W_V" not in layer
    assert layer["norm_K.weight"] == (512,)
    assert section(gemma4(), "global attention + MLP & MoE layer").copies == 5


def test_sliding_layers_keep_head_dim_and_their_own_values() -> None:
    layer = terms(gemma4(), "attention + MLP & MoE layer")
    assert layer["W_K"] == layer["W_V"] == (2816, 8 * 256)


def test_without_attention_k_eq_v_global_layers_have_values_and_num_key_value_heads() -> None:
    layer = terms(gemma4(attention_k_eq_v=False), "global attention + MLP & MoE layer")
    assert layer["W_K"] == layer["W_V"] == (2816, 8 * 512)


def test_the_moe_block_sits_beside_the_mlp_with_a_scaled_router_and_three_more_norms() -> None:
    layer = terms(gemma4(), "attention + MLP & MoE layer")
    assert layer["W_1"] == (2816, 2112)
    assert layer["experts.W_1"] == (128, 2816, 704)
    assert (layer["router_scale"], layer["expert_scale"]) == ((2816,), (128,))
    assert [name for name in layer if name.startswith("norm_") and name[5].isdigit()] == [
        f"norm_{i}.weight" for i in range(1, 8)
    ]


def test_without_the_moe_block_a_layer_has_the_mlp_and_four_norms() -> None:
    layer = terms(gemma4(enable_moe_block=False), "attention + MLP layer")
    assert "W_router" not in layer and "experts.W_1" not in layer
    assert sum(name.startswith("norm_") and name[5].isdigit() for name in layer) == 4


def test_the_last_layer_is_global_whatever_layer_types_says() -> None:
    # transformers 5.24.0 warns and makes it full_attention
    data = gemma4(layer_types=["sliding_attention"] * 30)
    assert section(data, "global attention + MLP & MoE layer").copies == 1


def test_without_layer_types_every_sixth_layer_is_global() -> None:
    data = gemma4()
    del data["text_config"]["layer_types"]
    assert breakdown(data) == breakdown(gemma4())  # the published file's pattern is the default


def test_the_top_level_flag_alone_ties_lm_head() -> None:
    tied = breakdown(gemma4(tie_word_embeddings=False)).total  # text_config's flag is not read
    untied = breakdown(gemma4({"tie_word_embeddings": False})).total
    assert untied - tied == 262144 * 2816


def test_without_a_vision_config_there_is_only_the_text_model() -> None:
    with_vision = breakdown(gemma4())
    without = breakdown(gemma4({"vision_config": None}))
    assert dict(without.parts) == {"text": dict(with_vision.parts)["text"]}


def test_the_vision_positions_are_one_table_per_axis() -> None:
    config = read_hf(Reader(gemma4()))
    vision = [s for s in count_model(config.architecture, config.parts).sections if s.part == "vision"]
    assert [t.shape for s in vision for t in s.terms if t.name == "W_P"] == [(2, 10240, 1152)]


def test_global_attention_is_an_attention_mixer_of_its_own_widths() -> None:
    arch = read_hf(Reader(gemma4())).architecture
    mixers = {group.mixers[0] for group in arch.layers}
    assert mixers == {"attention", Attention(512, 2, values=False, name="global attention")}


def resaved(head_dim: int = 512, kv_heads: int = 2) -> dict:
    """The published config as transformers 5.24.0 saves it again (save_pretrained): the global
    layers' widths in a per_layer_config keyed by zero-padded layer index, no global_head_dim."""
    data = gemma4()
    text = data["text_config"]
    del text["global_head_dim"], text["num_global_key_value_heads"]
    overrides = {"head_dim": head_dim, "num_key_value_heads": kv_heads}
    text["per_layer_config"] = {f"{i:02d}": dict(overrides) for i in (5, 11, 17, 23, 29)}
    return data


def test_the_per_layer_config_transformers_saves_counts_as_global_head_dim_does() -> None:
    assert breakdown(resaved()).total == breakdown(gemma4()).total


def test_a_per_layer_config_sets_the_global_layers_widths_over_global_head_dim() -> None:
    data = resaved(head_dim=256, kv_heads=4)
    data["text_config"]["global_head_dim"] = 512  # transformers ignores it beside a per_layer_config
    layer = terms(data, "global attention + MLP & MoE layer")
    assert layer["W_Q"] == (2816, 16 * 256) and layer["W_K"] == (2816, 4 * 256)


def test_an_empty_per_layer_config_leaves_the_global_layers_at_head_dim() -> None:
    layer = terms(gemma4(per_layer_config={}), "global attention + MLP & MoE layer")  # global_head_dim ignored
    assert layer["W_Q"] == (2816, 16 * 256) and layer["W_K"] == (2816, 8 * 256)


def test_a_null_per_layer_config_is_an_empty_one() -> None:
    assert breakdown(gemma4(per_layer_config=None)).total == breakdown(gemma4(per_layer_config={})).total


def test_a_per_layer_config_may_set_the_sliding_layers_widths_too() -> None:
    overrides = {f"{i:02d}": {"head_dim": 128, "num_key_value_heads": 4} for i in range(30) if (i + 1) % 6}
    overrides |= {f"{i:02d}": {"head_dim": 512} for i in (5, 11, 17, 23, 29)}
    counted = breakdown(gemma4(per_layer_config=overrides))
    sliding = {t.name: t.shape for s in counted.sections if s.name == "attention + MLP & MoE layer" for t in s.terms}
    assert sliding["W_Q"] == (2816, 16 * 128) and sliding["W_K"] == (2816, 4 * 128)


@pytest.mark.parametrize(
    "overrides",
    [
        {f"{i:02d}": {"head_dim": 512} for i in (5, 11, 17, 23)},  # one global layer left at head_dim
        {f"{i:02d}": {"head_dim": 512} for i in (0, 5, 11, 17, 23, 29)},  # one sliding layer alone
        {f"{i:02d}": {"head_dim": 512 if i < 20 else 256} for i in (5, 11, 17, 23, 29)},  # two widths
        {"30": {"head_dim": 512}},  # there are 30 layers, 0 to 29
        {"full_attention": {"head_dim": 512}},
        {"\u00b2": {}},  # a digit str.isdigit accepts and int() refuses, as transformers' int() does
        {f"{i:02d}": {"head_dim": None} for i in (5, 11, 17, 23, 29)},  # transformers' strict config
        {f"{i:02d}": None for i in (5, 11, 17, 23, 29)},
    ],
)
def test_a_per_layer_config_transformers_refuses_fails_at_its_key(overrides: dict) -> None:
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(gemma4(per_layer_config=overrides)))
    assert caught.value.path[:2] == ("text_config", "per_layer_config")  # or the layer's key in it


def test_a_per_layer_config_overriding_other_keys_cannot_be_counted_yet() -> None:
    overrides = {f"{i:02d}": {"head_dim": 512, "intermediate_size": 1024} for i in (5, 11, 17, 23, 29)}
    with pytest.raises(CannotCount) as caught:
        read_hf(Reader(gemma4(per_layer_config=overrides)))
    assert caught.value.path == ("text_config", "per_layer_config", "05")


def test_the_audio_tower_is_a_conformer_part_with_its_own_projector() -> None:
    audio = {"model_type": "gemma4_audio"}  # Gemma4AudioConfig's defaults: 12 layers, 1024 wide
    counted = breakdown(gemma4({"audio_config": audio}))
    sections = {(s.part, s.name): s for s in counted.sections}
    layer = {t.name: t.shape for t in sections["audio", "layer"].terms}
    assert sections["audio", "layer"].copies == 12
    assert layer["W_ffn_a_1"] == layer["W_ffn_b_1"] == (1024, 4096)
    assert layer["W_K_rel"] == (1024, 1024) and layer["per_dim_scale"] == (128,)
    assert layer["conv"] == (1024, 1, 5)
    front = {t.name: t.shape for t in sections["audio", "embeddings"].terms}
    assert front["conv_1"] == (32, 128, 3, 3) and front["W_in"] == (32 * 32, 1024)
    projector = {t.name: t.shape for t in sections["projector", "audio projector"].terms}
    assert projector == {"W_mm_audio": (1536, 2816)}


def test_a_text_config_without_hidden_size_per_layer_input_has_per_layer_embeddings() -> None:
    data = gemma4()
    del data["text_config"]["hidden_size_per_layer_input"]  # Gemma4TextConfig's default: 256
    parts = dict(breakdown(data).parts)
    embeddings = 262144 * 30 * 256 + 2816 * 30 * 256 + 256
    assert parts["per-layer"] == embeddings + 30 * (2 * 2816 * 256 + 2816)


def test_per_layer_embeddings_are_a_packed_table_and_a_gate_per_layer() -> None:
    counted = breakdown(gemma4(hidden_size_per_layer_input=64, vocab_size_per_layer_input=1000))
    sections = {s.name: s for s in counted.sections if s.part == "per-layer"}
    table = {t.name: t.shape for t in sections["embeddings"].terms}
    assert table == {"W_E_layer": (1000, 30 * 64), "W_layer_model": (2816, 30 * 64), "norm_layer_model.weight": (64,)}
    layer = {t.name: t.shape for t in sections["layer"].terms}
    assert layer == {"W_layer_gate": (2816, 64), "W_layer_proj": (64, 2816), "norm_layer.weight": (2816,)}
    assert sections["layer"].copies == 30


def test_a_null_hidden_size_per_layer_input_is_refused_as_transformers_does() -> None:
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(gemma4(hidden_size_per_layer_input=None)))
    assert caught.value.path == ("text_config", "hidden_size_per_layer_input")


def test_kv_shared_layers_have_no_keys_or_values_of_their_own() -> None:
    data = gemma4(num_kv_shared_layers=10)
    shared = terms(data, "shared-KV attention + MLP & MoE layer")
    assert "W_K" not in shared and "W_V" not in shared and "norm_K.weight" not in shared
    assert shared["W_Q"] == (2816, 16 * 256) and shared["norm_Q.weight"] == (256,)
    assert section(data, "shared-KV attention + MLP & MoE layer").copies == 8  # 20..29 less 23, 29
    assert section(data, "shared-KV global attention + MLP & MoE layer").copies == 2


def test_the_double_wide_mlp_is_only_on_kv_shared_layers() -> None:
    data = gemma4(num_kv_shared_layers=10, use_double_wide_mlp=True)
    assert terms(data, "shared-KV attention + MLP & MoE layer")["W_1"] == (2816, 2 * 2112)
    assert terms(data, "attention + MLP & MoE layer")["W_1"] == (2816, 2112)
    assert terms(data, "shared-KV attention + MLP & MoE layer")["experts.W_1"] == (128, 2816, 704)


def test_kv_shared_layers_must_follow_every_kind_of_layer() -> None:
    # the last 6 layers are shared: layers 0-23 must include a global one (they do: 5, 11 ...);
    # with 25 shared, layers 0-4 are all sliding and transformers refuses the config
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(gemma4(num_kv_shared_layers=25)))
    assert caught.value.path == ("text_config", "num_kv_shared_layers")


def test_more_experts_per_token_than_experts_fails_at_top_k_experts() -> None:
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(gemma4(top_k_experts=129)))
    assert caught.value.path == ("text_config", "top_k_experts")


def test_the_moe_block_needs_its_expert_count() -> None:
    data = gemma4()
    del data["text_config"]["num_experts"]
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(data))
    assert caught.value.path == ("text_config", "num_experts")


def test_the_published_config_passes_without_findings(capsys) -> None:
    # its MLP (2,112) is narrower than d_model (2,816) on purpose: the experts sit beside it
    assert main([str(PUBLISHED)]) == 0
    assert "PL303" not in capsys.readouterr().out


def test_a_count_made_with_another_intermediate_size_is_explained_by_d_ff(tmp_path, capsys) -> None:
    # the MLP beside the experts uses d_ff in every layer, so the diagnosis solves for it
    declared = breakdown(gemma4(intermediate_size=2304)).total
    path = tmp_path / "config.json"
    path.write_text(json.dumps(gemma4({"expected_params": declared})))
    main([str(path), "--tolerance", "0"])
    assert "d_ff=2304: expected_params" in capsys.readouterr().out


def test_a_count_made_with_w_o_shaped_by_the_head_width_is_explained_per_kind_of_layer(tmp_path, capsys) -> None:
    # W_O (n_head*d_head, d_head) in every layer: 25 sliding layers of 256-wide heads and 5
    # global layers of 512-wide ones (global_head_dim), each short of d_model = 2,816
    declared = breakdown(gemma4()).total - 25 * 16 * 256 * (2816 - 256) - 5 * 16 * 512 * (2816 - 512)
    path = tmp_path / "config.json"
    path.write_text(json.dumps(gemma4({"expected_params": declared})))
    main([str(path), "--tolerance", "0"])
    out = capsys.readouterr().out
    assert "wo_shape: expected_params 25,449,418,032 is exactly the count" in out
    assert "(4096, 256) and (8192, 512) in the global attention layers" in out
