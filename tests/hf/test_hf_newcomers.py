"""The Hugging Face families added in 0.2 (issue 11's flat decoders): their quirks, one
behaviour per test. Their counts against transformers are checked with every other real
config by tests/test_hf_golden.py; these pin what the golden configs do not exercise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.counting import count
from param_lint.dialects import ConfigError, Reader
from param_lint.dialects.hf import read as read_hf

HF = Path(__file__).parent
GOLDEN = json.loads((HF / "golden.json").read_text())


def architecture_of(model_type: str, **keys):
    return read_hf(Reader({"model_type": model_type, **keys})).architecture


def terms_named(model_type: str, name: str, **keys):
    return count(architecture_of(model_type, **keys)).terms(name)


def test_kimi_k2_is_deepseek_v3_under_another_name() -> None:
    keys = json.loads((HF / "configs" / "kimi_k2" / "kimi-k2-instruct.json").read_text())
    keys.pop("model_type")
    assert architecture_of("kimi_k2", **keys) == architecture_of("deepseek_v3", **keys)


def test_kimi_k2_golden_count_comes_from_the_native_class_it_names() -> None:
    entry = GOLDEN["kimi_k2/kimi-k2-instruct.json"]
    assert (entry["class"], entry["alias_of"]) == ("DeepseekV3ForCausalLM", "deepseek_v3")


def test_gpt_oss_has_one_sink_logit_per_query_head() -> None:
    assert [t.shape for t in terms_named("gpt_oss", "sinks", num_attention_heads=8)] == [(8,)]
    assert terms_named("llama", "sinks") == []


def test_gpt_oss_experts_and_router_carry_biases() -> None:
    arch = architecture_of("gpt_oss", num_local_experts=4, num_experts_per_tok=2)
    assert (arch.mlp_bias, arch.router_bias, arch.d_ff_expert) == (True, True, arch.d_ff)


@pytest.mark.parametrize(
    "keys, n_moe",
    [
        ({}, 27),  # layers 1 .. 27 (end -1: the last)
        ({"moe_layer_interval": 2}, 14),  # odd layers 1 .. 27
        ({"moe_layer_start_index": 0, "moe_layer_end_index": 3}, 4),
    ],
)
def test_ernie_moe_layers_follow_start_end_and_interval(keys: dict, n_moe: int) -> None:
    assert architecture_of("ernie4_5_moe", **keys).n_moe_layer == n_moe


def test_ernie_moe_router_has_a_score_correction_parameter() -> None:
    assert [t.shape for t in terms_named("ernie4_5_moe", "b_router_correction", moe_num_experts=8)] == [(1, 8)]


def test_glm4_moe_biases_queries_keys_values_but_never_the_output() -> None:
    arch = architecture_of("glm4_moe", attention_bias=True)
    assert (arch.qkv_bias, arch.out_bias) == (True, False)


def test_glm4_moe_qk_norm_is_one_head_wide_norm() -> None:
    assert architecture_of("glm4_moe", use_qk_norm=True).qk_norm == "head"
    assert architecture_of("glm4_moe").qk_norm == "none"


def test_mt5_takes_mt5_defaults_not_t5_ones() -> None:
    mt5, t5 = architecture_of("mt5"), architecture_of("t5")
    assert (mt5.n_vocab, mt5.mlp, mt5.tie_embeddings) == (250112, "gated", False)
    assert (t5.n_vocab, t5.mlp, t5.tie_embeddings) == (32128, "standard", True)


def test_phimoe_and_olmoe_attention_is_hidden_size_wide() -> None:
    assert architecture_of("phimoe", hidden_size=1024, num_attention_heads=8, head_dim=64).d_head == 128
    assert architecture_of("olmoe", hidden_size=1024, num_attention_heads=8).d_head == 128


def test_granite_honours_a_head_dim_in_the_file() -> None:
    assert architecture_of("granite", hidden_size=1024, num_attention_heads=8, head_dim=64).d_head == 64


def test_ministral3_takes_its_own_head_width_and_key_value_heads() -> None:
    arch = architecture_of("ministral3", hidden_size=1024, num_attention_heads=16)
    assert (arch.d_head, arch.n_kv_head, arch.tie_embeddings) == (128, 8, False)


def test_a_mistral3_file_with_a_ministral3_text_config_counts_that_text_model() -> None:
    text = json.loads((HF / "configs" / "ministral3" / "ernie-image-pe.json").read_text())
    text.pop("architectures")
    composite = read_hf(Reader({"model_type": "mistral3", "text_config": text}))
    assert composite.architecture == architecture_of(
        "ministral3", **{k: v for k, v in text.items() if k != "model_type"}
    )
    assert [part.name for part in composite.parts] == ["vision", "projector"]


def test_olmo3_honours_a_head_dim_in_the_file() -> None:
    assert architecture_of("olmo3", hidden_size=1024, num_attention_heads=8, head_dim=64).d_head == 64


def test_deepseek_v32_indexer_reads_the_query_latent_in_every_layer() -> None:
    keys = {"q_lora_rank": 96, "index_n_heads": 4, "index_head_dim": 32, "hidden_size": 256}
    # one term per layer kind (the dense first layers and the MoE layers), the same shape in both
    assert {t.shape for t in terms_named("deepseek_v32", "W_IQ", **keys)} == {(96, 128)}
    assert {t.shape for t in terms_named("deepseek_v32", "W_Iw", **keys)} == {(256, 4)}
    assert terms_named("deepseek_v3", "W_IQ", q_lora_rank=96) == []


def test_dbrx_experts_are_gated_and_bias_free_behind_a_bias_free_router() -> None:
    arch = architecture_of("dbrx", ffn_config={"moe_num_experts": 8, "moe_top_k": 2, "ffn_hidden_size": 64})
    assert (arch.n_expert, arch.n_expert_per_token, arch.d_ff_expert) == (8, 2, 64)
    assert (arch.mlp, arch.mlp_bias, arch.router_bias, arch.qkv_bias, arch.norm_bias) == (
        "gated",
        False,
        False,
        False,
        False,
    )


def test_nemotron_mlp_has_no_gate_and_its_layernorms_a_bias() -> None:
    arch = architecture_of("nemotron", num_key_value_heads=8)
    assert (arch.mlp, arch.norm, arch.norm_bias) == ("standard", "layernorm", True)


@pytest.mark.parametrize(
    "model_type, keys, at",
    [
        ("dbrx", {"tie_word_embeddings": True}, "tie_word_embeddings"),
        ("nemotron", {}, "num_key_value_heads"),  # NemotronConfig leaves it None
        ("ministral3", {"head_dim": None}, "head_dim"),  # Ministral3Config refuses null
        ("deepseek_v32", {"q_lora_rank": None}, "q_lora_rank"),  # the indexer reads the query latent
        ("dbrx", {"ffn_config": {"moe_num_experts": "many"}}, "moe_num_experts"),
        ("gpt_oss", {"num_local_experts": 2, "num_experts_per_tok": 4}, "num_experts_per_tok"),
        ("ernie4_5_moe", {"moe_layer_interval": 0}, "moe_layer_interval"),
        ("mt5", {"feed_forward_proj": "fancy-gelu"}, "feed_forward_proj"),
    ],
)
def test_configs_param_lint_cannot_count_fail_at_their_key(model_type: str, keys: dict, at: str) -> None:
    with pytest.raises(ConfigError) as caught:
        architecture_of(model_type, **keys)
    assert caught.value.path[-1] == at


def test_every_golden_entry_names_the_transformers_version_that_built_it() -> None:
    versions = {GOLDEN["_meta"]["transformers"], *GOLDEN["_meta"]["compared_with"]}
    entries = [entry for key, entry in GOLDEN.items() if key != "_meta"]
    assert all(entry["transformers"] in versions for entry in entries)


def test_where_transformers_versions_disagree_the_golden_file_says_which_the_config_means() -> None:
    disagreements = [entry for key, entry in GOLDEN.items() if key != "_meta" and "also" in entry]
    assert disagreements  # T5 v1.1's untied head at least
    assert all(entry["means"] for entry in disagreements)
