"""Hugging Face configs: param-lint's count equals transformers' own, to the parameter.

tests/hf/golden.json holds, for every real published config under tests/hf/configs/,
the count of the model transformers builds from it (tools/make_golden.py, meta device).
These tests never need torch: they read the recorded numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.counting import count
from param_lint.dialects import CannotCount, ConfigError, Reader, read
from param_lint.dialects.hf import FAMILIES, OWN_CONFIGS_ONLY
from param_lint.dialects.hf import read as read_hf
from param_lint.load import load_path, load_text

HF = Path(__file__).parent / "hf"
GOLDEN = {key: entry for key, entry in json.loads((HF / "golden.json").read_text()).items() if key != "_meta"}
# Composite (multimodal) families have their own golden file, part by part: tests/test_hf_composite.py.
COMPOSITE_TYPES = {
    entry["model_type"]
    for key, entry in json.loads((HF / "composite" / "golden.json").read_text()).items()
    if key != "_meta"
}
# Encoders and encoder-decoders (a flat stack plus parts) too: tests/test_hf_encoders.py.
ENCODER_TYPES = {
    entry["model_type"]
    for key, entry in json.loads((HF / "golden_encoders.json").read_text()).items()
    if key != "_meta"
}
# Types backed by configs of our own alone (OWN_CONFIGS_ONLY): decoders in tests/hf/configs_own/
# (tests/test_hf_own_configs.py), composites in tests/hf/composite_own/.
OWN = {key: entry for key, entry in json.loads((HF / "golden_own.json").read_text()).items() if key != "_meta"}
OWN_TYPES = {entry["model_type"] for entry in OWN.values()} | {
    entry["model_type"]
    for key, entry in json.loads((HF / "composite_own" / "golden.json").read_text()).items()
    if key != "_meta" and entry["model_type"] in OWN_CONFIGS_ONLY
}
# Remote-code types counted as an alias: tests/test_hf_remote.py, from the model's own code.
REMOTE_TYPES = {
    entry["model_type"] for key, entry in json.loads((HF / "golden_remote.json").read_text()).items() if key != "_meta"
}
FLAT_FAMILIES = sorted(
    name for name, module in FAMILIES.items() if not hasattr(module, "parts") and name not in REMOTE_TYPES
)


def config_of(relpath: str):
    document = load_path(str(HF / "configs" / relpath)).document
    assert document is not None
    config, findings = read(document)
    assert not findings, findings
    assert config is not None
    return config


@pytest.mark.parametrize("relpath", sorted(GOLDEN), ids=str)
def test_count_equals_transformers(relpath: str) -> None:
    golden = GOLDEN[relpath]
    config = config_of(relpath)
    breakdown = count(config.architecture)
    assert config.family == golden["model_type"]
    assert breakdown.total == golden["total"]
    if golden["active"] is not None:
        assert config.architecture.is_moe
        assert breakdown.active == golden["active"]
    else:
        assert not config.architecture.is_moe


def test_every_family_has_golden_configs_and_every_golden_type_a_family() -> None:
    published = {entry["model_type"] for entry in GOLDEN.values()} | COMPOSITE_TYPES | ENCODER_TYPES | REMOTE_TYPES
    assert OWN_TYPES == OWN_CONFIGS_ONLY and not published & OWN_CONFIGS_ONLY
    backed = published | OWN_TYPES
    assert backed <= set(FAMILIES)
    # a model type registered under two spellings (lfm2-vl, lfm2_vl: one module) is backed by either
    assert {name for name in FAMILIES if any(FAMILIES[name] is FAMILIES[other] for other in backed)} == set(FAMILIES)


def test_unknown_model_type_cannot_be_counted_and_lists_the_supported_types() -> None:
    with pytest.raises(CannotCount) as caught:
        read_hf(Reader({"model_type": "no_such_model"}))
    assert caught.value.path == ("model_type",)
    assert "no_such_model" in caught.value.message
    for model_type in FAMILIES:
        assert model_type in caught.value.message


def test_unknown_model_type_is_a_pl102_finding_at_the_key() -> None:
    document = load_text("config.json", '{\n  "model_type": "no_such_model"\n}\n', "json").document
    config, findings = read(document)
    assert config is None
    assert [(f.code, f.line) for f in findings] == [("PL102", 2)]


def test_remote_code_model_type_says_it_is_remote_code() -> None:
    with pytest.raises(CannotCount) as caught:
        read_hf(
            Reader({"model_type": "molmo", "auto_map": {"AutoModelForCausalLM": "modeling_molmo.MolmoForCausalLM"}})
        )
    assert "remote code" in caught.value.message


@pytest.mark.parametrize("model_type", FLAT_FAMILIES)
def test_wrong_typed_width_fails_at_its_key(model_type: str) -> None:
    found = [("configs", key) for key, entry in sorted(GOLDEN.items()) if entry["model_type"] == model_type]
    found += [("configs_own", key) for key, entry in sorted(OWN.items()) if entry["model_type"] == model_type]
    files = [json.loads((HF / folder / relpath).read_text()) for folder, relpath in found]
    data, width_key = next((d, key) for d in files for key in ("hidden_size", "n_embd", "d_model") if key in d)
    data[width_key] = "big"
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(data))
    assert caught.value.path == (width_key,)
    assert "integer" in caught.value.message


def architecture_of(model_type: str, **keys):
    return read_hf(Reader({"model_type": model_type, **keys})).architecture


def test_absent_key_value_heads_take_the_class_default_and_null_means_every_head() -> None:
    assert architecture_of("qwen2", num_attention_heads=8).n_kv_head == 32  # Qwen2Config's default
    assert architecture_of("qwen2", num_attention_heads=8, num_key_value_heads=None).n_kv_head == 8
    assert architecture_of("llama", num_attention_heads=8).n_kv_head == 8


def test_attribute_map_aliases_read_like_the_config_names() -> None:
    assert architecture_of("gpt2", hidden_size=64, num_attention_heads=4) == architecture_of(
        "gpt2", n_embd=64, n_head=4
    )
    assert architecture_of("bloom", n_embed=64).d_model == 64


def test_qwen_moe_dense_layers_follow_mlp_only_layers_and_sparse_step() -> None:
    arch = architecture_of("qwen2_moe", num_hidden_layers=6, decoder_sparse_step=2, mlp_only_layers=[1, 2])
    assert arch.n_dense_layer == 4  # layers 0, 2, 4 skipped by the step, layer 1 listed
    assert not architecture_of("qwen2_moe", num_experts=0).is_moe


def test_falcon_attention_variants() -> None:
    base = {"hidden_size": 64, "num_attention_heads": 4}
    assert architecture_of("falcon", **base).n_kv_head == 1  # multi_query by default
    new = architecture_of("falcon", **base, new_decoder_architecture=True, num_kv_heads=2)
    assert (new.n_kv_head, new.norms_per_layer) == (2, 2)
    assert architecture_of("falcon", **base, multi_query=False, parallel_attn=False).norms_per_layer == 2


def test_deepseek_null_q_lora_rank_means_a_full_query_projection() -> None:
    assert architecture_of("deepseek_v2", num_experts_per_tok=2, q_lora_rank=None).q_lora_rank is None
    assert architecture_of("deepseek_v2", num_experts_per_tok=2).q_lora_rank == 1536


@pytest.mark.parametrize(
    "model_type, keys, at",
    [
        ("bloom", {"hidden_size": 65, "n_head": 4}, "n_head"),  # attention is hidden_size wide
        ("qwen2_moe", {"mlp_only_layers": ["first"]}, "mlp_only_layers"),
        ("mixtral", {"num_local_experts": 2, "num_experts_per_tok": 3}, "num_experts_per_tok"),
        ("t5", {"feed_forward_proj": "fancy-relu"}, "feed_forward_proj"),
        ("gpt2", {"add_cross_attention": True}, "add_cross_attention"),
    ],
)
def test_configs_param_lint_cannot_count_fail_at_their_key(model_type: str, keys: dict, at: str) -> None:
    with pytest.raises(ConfigError) as caught:
        architecture_of(model_type, **keys)
    assert caught.value.path == (at,)


def test_counting_never_imports_torch_or_transformers() -> None:
    import subprocess
    import sys

    script = (
        "import sys, param_lint; param_lint.lint(['tests/hf/configs']); "
        "print(sorted(m for m in ('torch', 'transformers') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=HF.parent.parent)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
