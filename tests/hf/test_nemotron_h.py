"""Nemotron-H (nemotron_h): one block per layer, as `hybrid_override_pattern` spells it.

The published configs' totals and tensor lists are checked against transformers 5.24.0 by
tests/test_hf_golden.py and tests/checkpoint/test_names.py; these pin the layer rule, the
widths the configs leave implicit, the latent experts, and how a bad pattern is reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.architecture import Mamba
from param_lint.cli import main
from param_lint.counting import count
from param_lint.dialects import ConfigError, Reader
from param_lint.dialects.hf import read as read_hf

HF = Path(__file__).parent
TINY = {
    "hidden_size": 64,
    "vocab_size": 100,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 16,
    "intermediate_size": 96,
    "mamba_num_heads": 8,
    "mamba_head_dim": 12,
    "n_groups": 2,
    "ssm_state_size": 16,
    "n_routed_experts": 4,
    "num_experts_per_tok": 2,
    "moe_intermediate_size": 32,
    "moe_shared_expert_intermediate_size": 48,
}


def architecture_of(**keys):
    return read_hf(Reader({"model_type": "nemotron_h", **TINY, **keys})).architecture


def sections(**keys) -> dict[str, dict[str, tuple[int, ...]]]:
    return {s.name: {t.name: t.shape for t in s.terms} for s in count(architecture_of(**keys)).sections}


def test_each_pattern_character_is_one_layer_of_one_block_after_one_norm() -> None:
    layers = architecture_of(hybrid_override_pattern="M*-EM").layers
    assert [(group.n, group.ffn, group.norms, group.indices) for group in layers] == [
        (2, "none", 1, (0, 4)),
        (1, "none", 1, (1,)),
        (1, "dense", 1, (2,)),
        (1, "moe", 1, (3,)),
    ]
    assert isinstance(layers[0].mixers[0], Mamba) and layers[1].mixers == ("attention",)
    assert layers[2].mixers == layers[3].mixers == ()


def test_the_layer_list_transformers_5_writes_means_the_same_as_the_pattern() -> None:
    listed = architecture_of(layers_block_type=["linear_attention", "moe", "full_attention", "mlp"])
    assert listed == architecture_of(hybrid_override_pattern="ME*-")


def test_the_older_layer_names_mean_what_transformers_5_renames_them_to() -> None:
    older = architecture_of(layers_block_type=["mamba", "moe", "attention", "mlp"])
    assert older == architecture_of(hybrid_override_pattern="ME*-")


def test_mlp_and_moe_only_layers_are_named_by_their_feed_forward(capsys) -> None:
    assert list(sections(hybrid_override_pattern="-E")) == ["embeddings", "MLP layer", "MoE layer", "final"]


def test_the_mamba_width_is_heads_times_head_dim_not_expand_times_hidden_size() -> None:
    # Nemotron 3 Nano: 64 heads of 64 = 4096, where expand x hidden_size would be 2 x 2688
    keys = json.loads((HF / "configs" / "nemotron_h" / "nemotron-3-nano-30b-a3b-bf16.json").read_text())
    [mamba] = read_hf(Reader(keys)).architecture.layers[0].mixers
    assert isinstance(mamba, Mamba) and mamba.d_inner == 4096


def test_the_older_mamba_prefixed_names_are_read_first_as_transformers_5_reads_them() -> None:
    # NemotronHConfig.__post_init__ takes mamba_n_groups, mamba_d_conv and mamba_conv_bias over
    # n_groups, conv_kernel and use_conv_bias (the keys of files written before the rename)
    tiny = {key: value for key, value in TINY.items() if key != "n_groups"}
    older = read_hf(
        Reader(
            {
                "model_type": "nemotron_h",
                **tiny,
                "hybrid_override_pattern": "M",
                "mamba_n_groups": 4,
                "mamba_d_conv": 3,
                "mamba_conv_bias": False,
                "n_groups": 2,
                "conv_kernel": 4,
                "use_conv_bias": True,
            }
        )
    )
    [mamba] = older.architecture.layers[0].mixers
    assert isinstance(mamba, Mamba)
    assert (mamba.n_group, mamba.d_conv, mamba.conv_bias) == (4, 3, False)


def test_the_mlp_and_the_experts_have_no_gate_and_the_experts_no_bias() -> None:
    found = sections(hybrid_override_pattern="-E", mlp_bias=True)
    assert set(found["MLP layer"]) == {"W_1", "b_1", "W_2", "b_2", "norm_1.weight"}
    experts = {name for name in found["MoE layer"] if name.startswith("experts.")}
    assert experts == {"experts.W_1", "experts.W_2"}
    assert {"shared.b_1", "shared.b_2"} <= set(found["MoE layer"])


def test_latent_experts_work_between_two_projections_that_every_token_uses() -> None:
    moe = sections(hybrid_override_pattern="E", moe_latent_size=24)["MoE layer"]
    assert moe["W_latent_in"] == (64, 24) and moe["W_latent_out"] == (24, 64)
    assert moe["experts.W_1"] == (4, 24, 32) and moe["experts.W_2"] == (4, 32, 24)
    [section] = [
        s
        for s in count(architecture_of(hybrid_override_pattern="E", moe_latent_size=24)).sections
        if s.name == "MoE layer"
    ]
    latent = [term for term in section.terms if term.name.startswith("W_latent")]
    assert all(term.active == term.params for term in latent)


def test_the_lm_head_is_never_tied() -> None:
    assert not architecture_of(hybrid_override_pattern="M", tie_word_embeddings=True).tie_embeddings


@pytest.mark.parametrize(
    ("keys", "at", "message"),
    [
        ({"hybrid_override_pattern": "M*X"}, "hybrid_override_pattern", "hybrid_override_pattern[2] is 'X'"),
        ({"layers_block_type": ["mamba2"]}, "layers_block_type", "layers_block_type[0] is 'mamba2'"),
        ({"hybrid_override_pattern": ""}, "hybrid_override_pattern", "is empty"),
    ],
)
def test_an_impossible_layer_pattern_fails_at_its_key(keys: dict, at: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        architecture_of(**keys)
    assert caught.value.path == (at,)
    assert message in caught.value.message


def test_the_infinity_literal_of_the_published_files_is_read_as_python_json_reads_it(capsys) -> None:
    # time_step_limit: [0.0, Infinity], as in Nemotron-H-56B and Nemotron 3 Super; transformers
    # reads config.json with json.loads, which accepts it. The fixture declares transformers'
    # count (tests/hf/hybrid/README.md).
    text = (HF / "hybrid" / "nemotron-h-tiny.json").read_text()
    assert "Infinity" in text
    assert main(["--isolated", str(HF / "hybrid" / "nemotron-h-tiny.json")]) == 0
    assert "PL" not in capsys.readouterr().out


@pytest.mark.parametrize("depth", [2, 8, 8.0])  # 8.0: a whole float is read as the integer it is
def test_a_num_hidden_layers_that_disagrees_with_the_pattern_counts_the_pattern_and_warns(
    depth: int, tmp_path, capsys
) -> None:
    # transformers 5.24.0 builds the pattern's five layers whatever num_hidden_layers says:
    # NemotronHForCausalLM on the meta device has 108,464 parameters with 2 and with 8, as with 5
    # (tests/hf/hybrid/README.md)
    data = json.loads((HF / "hybrid" / "nemotron-h-tiny.json").read_text())
    data["num_hidden_layers"] = depth
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data, indent=1))
    assert main(["--isolated", str(path)]) == 0  # its expected_params 108,464 holds
    out = capsys.readouterr().out
    assert f"PL303 num_hidden_layers is {int(depth)} but the model has 5 layers" in out
    assert "PL201" not in out and "PL101" not in out


def test_without_a_pattern_the_default_one_is_built_whatever_num_hidden_layers_says(tmp_path, capsys) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model_type": "nemotron_h", **TINY, "num_hidden_layers": 6}, indent=1))
    main(["--isolated", str(path)])
    assert "PL303 num_hidden_layers is 6 but the model has 4 layers" in capsys.readouterr().out
    # transformers 5.24.0 builds the class's four-layer default pattern: 84,440 parameters
    assert count(architecture_of(num_hidden_layers=6)).total == 84_440


def test_a_null_num_hidden_layers_counts_the_patterns_layers(tmp_path, capsys) -> None:
    # NemotronHConfig (transformers 5.24.0) accepts num_hidden_layers None and builds the
    # pattern's layers: the tiny fixture's five, its expected_params 108,464 holding
    data = json.loads((HF / "hybrid" / "nemotron-h-tiny.json").read_text())
    data["num_hidden_layers"] = None
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data, indent=1))
    assert main(["--isolated", str(path)]) == 0
    out = capsys.readouterr().out
    assert "PL101" not in out and "PL303" not in out and "PL201" not in out


def test_a_null_num_hidden_layers_is_still_refused_for_a_family_whose_class_refuses_it(tmp_path, capsys) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"model_type": "llama", "vocab_size": 100, "num_hidden_layers": None}))
    assert main(["--isolated", str(path)]) == 1
    assert "PL101" in capsys.readouterr().out
