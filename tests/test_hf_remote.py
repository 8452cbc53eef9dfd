"""Remote-code models: PL102 says why, and an alias counts those that are a supported family.

A config.json whose `auto_map` points at Python shipped with the checkpoint (trust_remote_code)
names a model transformers does not have. param-lint never runs that code: a type whose
architecture is a supported family under other key names is counted as that family (an
alias: a family module with ALIAS_OF); any other is PL102, naming the auto_map class.
tests/hf/golden_remote.json holds the counts and tensor names of the model built from its
own code on the meta device (tools/make_golden_remote.py); these tests never need torch.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import param_lint
from param_lint.cli import main
from param_lint.counting import count
from param_lint.dialects import CannotCount, ConfigError, Reader, read
from param_lint.dialects.hf import FAMILIES, aliases
from param_lint.dialects.hf import read as read_hf
from param_lint.load import load_path

HF = Path(__file__).parent / "hf"
GOLDEN = json.loads((HF / "golden_remote.json").read_text())
INTERNVL_AUTO_MAP = {  # a composite param-lint has no alias for
    "AutoConfig": "configuration_internvl_chat.InternVLChatConfig",
    "AutoModel": "modeling_internvl_chat.InternVLChatModel",
}


def data_of(key: str) -> dict:
    entry = GOLDEN[key]
    return {**json.loads((HF / "remote" / entry["config"]).read_text()), **entry["overrides"]}


@pytest.mark.parametrize("key", sorted(GOLDEN), ids=str)
def test_count_equals_the_models_own_code(key: str) -> None:
    config = read_hf(Reader(data_of(key)))
    assert config.family == GOLDEN[key]["model_type"]
    assert count(config.architecture).total == GOLDEN[key]["total"]


@pytest.mark.parametrize("key", sorted(k for k, v in GOLDEN.items() if not v["overrides"]), ids=str)
def test_published_configs_read_without_findings(key: str) -> None:
    document = load_path(str(HF / "remote" / key)).document
    assert document is not None
    config, findings = read(document)
    assert config is not None and not findings


def test_every_alias_is_checked_against_its_own_code_and_names_the_family_recorded() -> None:
    recorded = {entry["model_type"]: entry["alias_of"] for entry in GOLDEN.values()}
    assert {alias: family for alias, family in aliases().items() if alias in recorded} == recorded
    assert set(aliases()) - set(recorded) == {"kimi_k2"}  # native DeepseekV3ForCausalLM: tests/hf/golden.json
    assert set(aliases().values()) <= set(FAMILIES)


def test_qwen_is_qwen2_with_half_the_intermediate_size_per_projection() -> None:
    qwen = read_hf(Reader(data_of("qwen/qwen-7b.json"))).architecture
    qwen2 = read_hf(
        Reader(
            {
                "model_type": "qwen2",
                "vocab_size": 151936,
                "hidden_size": 4096,
                "intermediate_size": 11008,
                "num_hidden_layers": 32,
                "num_attention_heads": 32,
                "num_key_value_heads": 32,
                "max_position_embeddings": 8192,
            }
        )
    ).architecture
    assert qwen == qwen2


def test_qwen_heads_must_fill_hidden_size() -> None:
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader({"model_type": "qwen", "hidden_size": 4096, "kv_channels": 64}))
    assert caught.value.path == ("kv_channels",)


def test_qwen_wrong_typed_width_fails_at_its_key() -> None:
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader({**data_of("qwen/qwen-7b.json"), "hidden_size": "big"}))
    assert caught.value.path == ("hidden_size",)


def test_baichuan_heads_must_divide_hidden_size() -> None:
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader({"model_type": "baichuan", "hidden_size": 5120, "num_attention_heads": 48}))
    assert caught.value.path == ("num_attention_heads",)


def test_chatglm_key_value_heads_are_the_query_groups_only_with_multi_query_attention() -> None:
    assert read_hf(Reader(data_of("chatglm/chatglm3-6b.json"))).architecture.n_kv_head == 2
    data = {**data_of("chatglm/chatglm3-6b.json"), "multi_query_attention": False}
    assert read_hf(Reader(data)).architecture.n_kv_head == 32


def test_minicpm_is_llama_under_its_own_defaults() -> None:
    minicpm = read_hf(Reader(data_of("minicpm/minicpm-2b.json"))).architecture
    keys = ("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads")
    llama = {"model_type": "llama", "max_position_embeddings": 2048, "tie_word_embeddings": True}
    llama.update({key: data_of("minicpm/minicpm-2b.json")[key] for key in keys})
    assert minicpm == read_hf(Reader(llama)).architecture


def test_minicpm_ties_its_embeddings_by_default() -> None:
    assert read_hf(Reader({"model_type": "minicpm"})).architecture.tie_embeddings


def test_minicpm_has_no_head_dim_key_and_heads_must_divide_hidden_size() -> None:
    config = read_hf(Reader({**data_of("minicpm/minicpm-2b.json"), "head_dim": 128}))
    assert config.architecture.d_head == 2304 // 36
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader({"model_type": "minicpm", "hidden_size": 2304, "num_attention_heads": 40}))
    assert caught.value.path == ("num_attention_heads",)


def test_a_config_without_model_type_is_the_alias_its_auto_map_config_class_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = data_of("minicpm/minicpm-2b.json")
    assert "model_type" not in data
    assert read_hf(Reader(data)).family == "minicpm"
    assert main(["--format", "json", str(HF / "remote" / "minicpm" / "minicpm-2b.json")]) == 0
    assert json.loads(capsys.readouterr().out)["files"][0]["params"] == GOLDEN["minicpm/minicpm-2b.json"]["total"]


def test_a_config_without_model_type_and_an_unknown_config_class_is_pl102_at_its_auto_config(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"architectures": ["InternVLChatModel"], "auto_map": INTERNVL_AUTO_MAP}, indent=1))
    findings = param_lint.lint(str(path))
    assert [(f.code, f.line) for f in findings] == [("PL102", 6)]  # "AutoConfig": ... under auto_map
    assert "configuration_internvl_chat.InternVLChatConfig" in findings[0].message


def test_a_file_with_neither_model_type_nor_architectures_is_not_a_hugging_face_config(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"auto_map": {"AutoConfig": "configuration_minicpm.MiniCPMConfig"}}))
    assert [f.code for f in param_lint.lint(str(path))] == ["PL100"]


@pytest.mark.parametrize(
    "keys, at",
    [
        ({"inner_hidden_size": 16384, "position_encoding_2d": True}, "inner_hidden_size"),  # ChatGLM-6B v1
        ({"quantization_bit": 4}, "quantization_bit"),
        ({"pre_seq_len": 128}, "pre_seq_len"),
        ({"vision_config": {"num_hidden_layers": 63, "hidden_size": 1792}}, "vision_config"),  # GLM-4V-9B
    ],
)
def test_chatglm_variants_param_lint_does_not_count_are_pl102_at_their_key(keys: dict, at: str) -> None:
    with pytest.raises(CannotCount) as caught:
        read_hf(Reader({"model_type": "chatglm", **keys}))
    assert caught.value.path == (at,)


def remote(model_type: str, auto_map: object) -> CannotCount:
    with pytest.raises(CannotCount) as caught:
        read_hf(Reader({"model_type": model_type, "auto_map": auto_map}))
    return caught.value


def test_remote_code_finding_names_the_auto_map_model_class() -> None:
    message = remote("internvl_chat", INTERNVL_AUTO_MAP).message
    assert "remote code" in message
    assert "AutoModel -> modeling_internvl_chat.InternVLChatModel" in message


def test_remote_code_finding_prefers_the_causal_lm_class() -> None:
    auto_map = {"AutoModel": "modeling_x.XModel", "AutoModelForCausalLM": "modeling_x.XForCausalLM"}
    assert "AutoModelForCausalLM -> modeling_x.XForCausalLM" in remote("x", auto_map).message


def test_remote_code_finding_says_what_to_do_and_which_aliases_exist() -> None:
    message = remote("internvl_chat", INTERNVL_AUTO_MAP).message
    assert "does not run" in message
    assert "per-file-ignores" in message
    for alias, family in aliases().items():
        assert f"{alias} (as {family})" in message


@pytest.mark.parametrize("auto_map", [[], "modeling_x.X", {"AutoConfig": "configuration_x.XConfig"}, {"AutoModel": 3}])
def test_an_auto_map_without_a_model_class_is_still_remote_code(auto_map: object) -> None:
    error = remote("x", auto_map)
    assert error.path == ("model_type",)
    assert "remote code (auto_map)" in error.message


def test_remote_code_with_a_declared_count_fails_the_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "config.json"
    path.write_text(
        json.dumps({"model_type": "internvl_chat", "auto_map": INTERNVL_AUTO_MAP, "expected_params": "6.2B"})
    )
    assert main([str(path)]) == 1
    assert "PL102" in capsys.readouterr().out


def test_remote_code_can_be_passed_over_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "internvl").mkdir()
    (tmp_path / "internvl" / "config.json").write_text(
        json.dumps({"model_type": "internvl_chat", "auto_map": INTERNVL_AUTO_MAP})
    )
    (tmp_path / "pyproject.toml").write_text('[tool.param-lint.per-file-ignores]\n"internvl/config.json" = ["PL102"]\n')
    assert main([str(tmp_path / "internvl" / "config.json")]) == 0
    assert "PL102" not in capsys.readouterr().out


def test_a_chatglm_checkpoint_with_its_rotary_buffer_passes_the_checkpoint_check(tmp_path: Path) -> None:
    from .checkpoint.build import expected_tensors, write_checkpoint

    data = {**data_of("chatglm/chatglm3-6b.json"), "num_layers": 2, "padded_vocab_size": 64, "torch_dtype": "bfloat16"}
    tensors = {**expected_tensors(data), "transformer.rotary_pos_emb.inv_freq": ("BF16", (32,))}
    config = write_checkpoint(tmp_path / "chatglm", data, tensors, shards=2)
    assert [f.code for f in param_lint.lint(str(config), select=["PL5", "PL301"])] == []
