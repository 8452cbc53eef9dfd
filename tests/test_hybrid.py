"""Stacks whose layers differ: state-space (Mamba, Mamba-2), linear-attention (Gated DeltaNet),
short-convolution and attention layers, grouped by kind into sections.

The totals of the published configs are checked against transformers in test_hf_golden.py;
these tests pin the design: how layers are grouped, the shapes of each mixer's weights (as
transformers 4.57.6 builds them), the families' layer rules, and that rules and diagnosis
still work on a hybrid.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.architecture import Architecture, GatedDeltaNet, Layers, Mamba, ShortConv
from param_lint.cli import main
from param_lint.counting import count
from param_lint.dialects import ConfigError, Reader
from param_lint.dialects.hf import read
from param_lint.dialects.hf.ssm import stack

HF = Path(__file__).parent / "hf"
BASE = dict(n_vocab=100, n_layer=4, d_model=64, n_head=4, d_head=16, n_kv_head=2, d_ff=96, norm="rmsnorm", mlp="gated")
BASE |= dict(mlp_bias=False, qkv_bias=False, out_bias=False, position_embedding="rotary")


def arch_of(model_type: str, **keys) -> Architecture:
    return read(Reader({"model_type": model_type, **keys})).architecture


def shapes(arch: Architecture, section: str) -> dict[str, tuple[int, ...]]:
    [found] = [s for s in count(arch).sections if s.name == section]
    return {term.name: term.shape for term in found.terms}


def test_a_flat_model_has_no_layer_groups_and_counts_one_layer_section() -> None:
    arch = Architecture(**BASE)
    assert arch.layers == ()
    assert [(s.name, s.copies) for s in count(arch).sections] == [("embeddings", 1), ("layer", 4), ("final", 1)]


def test_equal_layers_are_grouped_in_order_of_first_appearance() -> None:
    conv = ShortConv(d_conv=3)
    pattern = [((conv,), "dense", 2), (("attention",), "dense", 2), ((conv,), "dense", 2), ((conv,), "dense", 2)]
    assert stack(pattern) == (Layers(3, (conv,), "dense", 2), Layers(1, ("attention",), "dense", 2))


def test_each_group_is_one_section_repeated_once_per_layer_of_its_kind() -> None:
    mamba = Mamba(d_inner=128, d_state=16, d_conv=4, dt_rank=4)
    arch = Architecture(**BASE, layers=(Layers(3, (mamba,), "none", 1), Layers(1, ("attention",), "dense", 2)))
    sections = [(s.name, s.copies) for s in count(arch).sections]
    assert sections == [("embeddings", 1), ("mamba layer", 3), ("attention + MLP layer", 1), ("final", 1)]


def test_parallel_mixers_share_one_layer() -> None:
    mamba2 = Mamba(d_inner=128, d_state=8, d_conv=4, n_head=8, n_group=2)
    arch = Architecture(**BASE, layers=(Layers(4, ("attention", mamba2), "dense", 2),))
    assert {"W_Q", "W_O", "W_in", "W_out", "W_1"} <= set(shapes(arch, "attention & mamba2 + MLP layer"))


@pytest.mark.parametrize(
    ("mixers", "ffn", "name"),
    [
        ((), "dense", "MLP layer"),
        ((), "moe", "MoE layer"),
        ((), "dense+moe", "MLP & MoE layer"),
        ((), "none", "empty layer"),
        (("attention",), "dense+moe", "attention + MLP & MoE layer"),
        (("attention",), "none", "attention layer"),
    ],
)
def test_every_feed_forward_kind_names_its_section_with_or_without_a_mixer(mixers, ffn, name) -> None:
    arch = Architecture(**BASE, n_expert=4, n_expert_per_token=2, d_ff_expert=8, layers=(Layers(2, mixers, ffn, 1),))
    assert [section.name for section in count(arch).sections][1] == name


def test_mamba1_weights_have_transformers_shapes() -> None:
    # MambaForCausalLM, hidden 64, expand 2, state 16, conv 4, dt rank 4: in_proj (256, 64),
    # conv1d (128, 1, 4), x_proj (36, 128), dt_proj (128, 4), A_log (128, 16), out_proj (64, 128)
    arch = arch_of("mamba", hidden_size=64, num_hidden_layers=2, vocab_size=100)
    got = shapes(arch, "mamba layer")
    assert got["W_in"] == (64, 256) and got["conv"] == (128, 4) and got["W_x"] == (128, 36)
    assert got["W_dt"] == (4, 128) and got["A_log"] == (128, 16) and got["W_out"] == (128, 64)
    assert "norm_dt.weight" not in got  # Jamba's inner norms only


def test_mamba2_weights_have_transformers_shapes() -> None:
    # Mamba2ForCausalLM, hidden 64, 8 heads of 16, 2 groups, state 8: in_proj (296, 64),
    # conv1d (160, 1, 4) with bias, dt_bias/A_log/D (8,), norm (128,), out_proj (64, 128)
    mamba2 = Mamba(d_inner=128, d_state=8, d_conv=4, n_head=8, n_group=2)
    arch = Architecture(**BASE, layers=(Layers(2, (mamba2,), "none", 1),))
    got = shapes(arch, "mamba2 layer")
    assert got["W_in"] == (64, 296) and got["conv"] == (160, 4) and got["b_conv"] == (160,)
    assert got["b_dt"] == got["A_log"] == got["D"] == (8,)
    assert got["norm_gate.weight"] == (128,) and got["W_out"] == (128, 64)


def test_gated_deltanet_weights_have_transformers_shapes() -> None:
    # Qwen3NextGatedDeltaNet, hidden 64, 2 key heads of 8, 4 value heads of 16: in_proj_qkvz
    # (160, 64), in_proj_ba (8, 64), conv1d (96, 1, 4) without bias, norm (16,), out_proj (64, 64)
    net = GatedDeltaNet(n_k_head=2, n_v_head=4, d_k_head=8, d_v_head=16, d_conv=4)
    arch = Architecture(**BASE, layers=(Layers(4, (net,), "dense", 2),))
    got = shapes(arch, "gated deltanet + MLP layer")
    assert got["W_qkvz"] == (64, 160) and got["W_ba"] == (64, 8) and got["conv"] == (96, 4)
    assert got["norm_gate.weight"] == (16,) and got["W_out"] == (64, 64) and "b_conv" not in got


def test_short_conv_weights_have_transformers_shapes() -> None:
    # Lfm2ShortConv, hidden 64, L_cache 3: in_proj (192, 64), conv (64, 1, 3), out_proj (64, 64)
    arch = Architecture(**BASE, layers=(Layers(4, (ShortConv(d_conv=3),), "dense", 2),))
    assert shapes(arch, "conv + MLP layer") == {
        "W_in": (64, 192),
        "conv": (64, 3),
        "W_out": (64, 64),
        "W_1": (64, 96),
        "W_3": (64, 96),
        "W_2": (96, 64),
        "norm_1.weight": (64,),
        "norm_2.weight": (64,),
    }


def test_qwen3_next_attention_has_an_output_gate_as_wide_as_the_queries() -> None:
    arch = arch_of("qwen3_next", num_hidden_layers=4, num_attention_heads=4, head_dim=32, hidden_size=64)
    assert shapes(arch, "attention + MoE layer")["W_gate"] == (64, 128)


def test_qwen3_next_layers_follow_full_attention_interval_and_mlp_only_layers() -> None:
    arch = arch_of("qwen3_next", num_hidden_layers=8, full_attention_interval=2, mlp_only_layers=[0, 1])
    groups = [(g.n, g.mixers[0] == "attention", g.ffn) for g in arch.layers]
    assert groups == [(1, False, "dense"), (1, True, "dense"), (3, False, "moe"), (3, True, "moe")]


def test_jamba_with_one_expert_has_no_moe_layers() -> None:
    arch = arch_of("jamba", num_hidden_layers=8, num_experts=1)
    assert not arch.is_moe
    assert {group.ffn for group in arch.layers} == {"dense"}


def test_mamba_time_step_rank_auto_is_a_sixteenth_of_the_width_rounded_up() -> None:
    [group] = arch_of("mamba", hidden_size=100, time_step_rank="auto").layers
    assert group.mixers[0].dt_rank == 7


@pytest.mark.parametrize(
    ("keys", "width"),
    [
        ({"intermediate_size": 12288}, 8192),  # int(2/3 x), then up to a multiple of 256
        ({"intermediate_size": 1000}, 768),  # 666 -> 768
        ({"intermediate_size": 1000, "block_ffn_dim_multiplier": None}, 666),  # no multiplier: no rounding
        ({"intermediate_size": 1000, "block_auto_adjust_ff_dim": False}, 1000),
        ({"intermediate_size": 8192, "block_ff_dim": 12288}, 8192),  # block_ff_dim wins
    ],
)
def test_lfm2_mlp_width_rule(keys: dict, width: int) -> None:
    assert arch_of("lfm2", **keys).d_ff == width


def test_granite_hybrid_without_experts_has_its_shared_mlp_as_the_dense_mlp() -> None:
    arch = arch_of(
        "granitemoehybrid", num_local_experts=0, shared_intermediate_size=300, hidden_size=64, mamba_n_heads=8
    )
    assert not arch.is_moe and arch.d_ff == 300


@pytest.mark.parametrize(
    ("model_type", "keys", "message"),
    [
        ("lfm2", {"num_hidden_layers": 2, "layer_types": ["conv"]}, "lists 1 layers but num_hidden_layers is 2"),
        ("qwen3_next", {"num_hidden_layers": 1, "layer_types": ["sliding_attention"]}, "expected one of"),
        ("granitemoehybrid", {"hidden_size": 64, "mamba_n_heads": 7}, "does not divide"),
        ("falcon_h1", {"mamba_d_head": 30, "mamba_n_heads": 8, "mamba_d_ssm": 256}, "is not the mamba width"),
        # Mamba2Config refuses hidden_size * expand != num_heads * head_dim
        ("mamba2", {"head_dim": 32, "hidden_size": 64, "num_heads": 8}, "is not the mamba width"),
    ],
)
def test_an_impossible_layer_pattern_fails_at_its_key(model_type: str, keys: dict, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        arch_of(model_type, **keys)
    assert caught.value.path[0] == next(iter(k for k in keys if k != "num_hidden_layers" and k != "hidden_size"))
    assert message in caught.value.message


def test_a_null_falcon_h1_mamba_d_head_is_named_as_null_not_as_auto() -> None:
    # FalconH1Config keeps the null and its mixer cannot be built; the default "auto" is not it
    with pytest.raises(ConfigError) as caught:
        arch_of("falcon_h1", mamba_d_head=None, mamba_n_heads=8, mamba_d_ssm=256)
    assert caught.value.path[0] == "mamba_d_head"
    assert caught.value.message == 'mamba_d_head must be an integer or "auto", got null'


def test_a_pure_state_space_model_gets_no_attention_or_mlp_warning(tmp_path, capsys) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model_type": "mamba", "hidden_size": 768, "expand": 1}))
    assert main(["--isolated", "--select", "PL303", str(path)]) == 0


def test_diagnosis_names_one_wrong_field_of_a_hybrid(capsys) -> None:
    assert main(["--isolated", str(HF / "hybrid" / "jamba-tiny-wrong-vocab.json")]) == 1
    assert "n_vocab=110" in capsys.readouterr().out


def test_breakdown_shows_one_section_per_kind_of_layer_with_its_count(capsys) -> None:
    main(["--isolated", "--breakdown", str(HF / "configs" / "jamba" / "ai21-jamba-1.5-mini.json")])
    out = capsys.readouterr().out
    for line in ("mamba + MLP layer (x 12)", "mamba + MoE layer (x 16)", "attention + MLP layer (x 4)"):
        assert line in out


def test_falcon_h1_mamba_width_is_mamba_d_ssm_its_class_default_or_expand_times_width_when_null() -> None:
    keys = {"hidden_size": 64, "mamba_n_heads": 8}
    assert arch_of("falcon_h1", **keys, mamba_d_ssm=256).layers[0].mixers[1].d_inner == 256
    assert arch_of("falcon_h1", **keys).layers[0].mixers[1].d_inner == 1024  # FalconH1Config's default
    assert arch_of("falcon_h1", **keys, mamba_d_ssm=None, mamba_expand=2).layers[0].mixers[1].d_inner == 128


def test_granite_hybrid_reads_the_layer_type_names_transformers_5_writes() -> None:
    keys = {"num_hidden_layers": 2, "hidden_size": 64, "mamba_n_heads": 8}
    old = arch_of("granitemoehybrid", **keys, layer_types=["mamba", "attention"])
    new = arch_of("granitemoehybrid", **keys, layer_types=["linear_attention", "full_attention"])
    assert count(old).total == count(new).total


def test_mamba2_families_share_one_reader_with_their_own_keys_and_defaults() -> None:
    """The same Mamba-2 mixer from mamba2's, Granite 4.0-H's and Falcon-H1's key names."""
    mamba2 = arch_of("mamba2", hidden_size=64, num_heads=8, head_dim=16, state_size=8, n_groups=2, conv_kernel=4)
    granite = arch_of("granitemoehybrid", hidden_size=64, mamba_n_heads=8, mamba_d_state=8, mamba_n_groups=2)
    falcon = arch_of("falcon_h1", hidden_size=64, mamba_d_ssm=128, mamba_n_heads=8, mamba_d_state=8, mamba_n_groups=2)
    expected = Mamba(d_inner=128, d_state=8, d_conv=4, n_head=8, n_group=2)
    assert mamba2.layers[0].mixers == (expected,)
    assert granite.layers[0].mixers == (expected,)
    # Falcon-H1's gated norm and out_proj bias are keys of their own, off by default
    assert falcon.layers[0].mixers[1] == Mamba(128, 8, 4, n_head=8, n_group=2, out_bias=False, gated_norm=False)


def test_mamba2_defaults_are_mamba2configs() -> None:
    arch = arch_of("mamba2")
    mixer = arch.layers[0].mixers[0]
    assert (arch.n_vocab, arch.d_model, arch.n_layer, arch.tie_embeddings) == (32768, 4096, 64, False)
    assert (mixer.d_inner, mixer.n_head, mixer.n_group, mixer.d_state) == (8192, 128, 8, 128)


@pytest.mark.parametrize(
    ("relpath", "section", "drop"),
    [
        ("configs/deepseek_v4/deepseek-v4-flash.json", None, "compress_ratios"),
        ("configs/glm_moe_dsa/glm-5.2.json", None, "indexer_types"),
        ("composite/gemma4/gemma-4-26b-a4b.json", "text_config", "layer_types"),
    ],
)
def test_an_absurd_depth_is_pl101_at_its_key_before_any_layer_is_listed(tmp_path, capsys, relpath, section, drop):
    # without a per-layer list the pattern is derived layer by layer: a million layers took
    # seconds, 2**31 gigabytes
    data = json.loads((HF / relpath).read_text())
    where = data[section] if section else data
    where.pop(drop, None)
    where.pop("mlp_layer_types", None)
    where["num_hidden_layers"] = 10**6
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data))
    main([str(path), "--select", "PL101"])
    assert "PL101 num_hidden_layers is 1,000,000; param-lint reads up to 100,000 layers" in capsys.readouterr().out
