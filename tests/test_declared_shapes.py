"""Declared `weights:` shapes (PL301, PL302) on models whose layers differ: the shapes the
model really has are accepted, the weights it does not have are PL302.

Each case declares, beside a published (or our own) Hugging Face config, a weight in the
shape transformers builds for it (tests/hf/tensor_names.json records those shapes).
"""

from __future__ import annotations

import json
from pathlib import Path

from param_lint.cli import main

HF = Path(__file__).parent / "hf"


def lint(tmp_path: Path, capsys, relpath: str, weights: dict, text: bool = False) -> list[str]:
    """The PL3xx findings of the config at `relpath` with `weights` declared, one line each."""
    data = json.loads((HF / relpath).read_text())
    data["weights"] = weights
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data))
    main([str(path), "--select", "PL301,PL302"])
    return [line for line in capsys.readouterr().out.splitlines() if " PL30" in line]


def text_of(relpath: str) -> dict:
    data = json.loads((HF / relpath).read_text())
    return data.get("text_config", data)


GEMMA4 = "composite/gemma4/gemma-4-26b-a4b.json"


def test_a_dense_mlp_beside_the_experts_has_its_d_ff_shape(tmp_path, capsys) -> None:
    t = text_of(GEMMA4)  # every layer: the MLP (intermediate_size) and the experts side by side
    d, d_ff, d_expert = t["hidden_size"], t["intermediate_size"], t["moe_intermediate_size"]
    assert lint(tmp_path, capsys, GEMMA4, {"W_1": [d, d_ff], "W_2": [d_ff, d], "W_3": [d, d_expert]}) == []


def test_global_attention_layers_have_their_own_head_width(tmp_path, capsys) -> None:
    t = text_of(GEMMA4)
    d, n_head, wide = t["hidden_size"], t["num_attention_heads"], t["global_head_dim"]
    n_kv = t["num_global_key_value_heads"]
    assert lint(tmp_path, capsys, GEMMA4, {"W_O": [n_head * wide, d], "W_K": [d, n_kv * wide]}) == []
    [finding] = lint(tmp_path, capsys, GEMMA4, {"W_O": [n_head * wide, wide]})
    assert "PL301" in finding


def test_a_double_wide_mlp_has_twice_d_ff(tmp_path, capsys) -> None:
    relpath = "composite_own/gemma4/all-shared-double-wide.json"
    t = text_of(relpath)
    d, d_ff = t["hidden_size"], t["intermediate_size"]
    assert lint(tmp_path, capsys, relpath, {"W_1": [d, 2 * d_ff], "W_2": [2 * d_ff, d]}) == []


def test_latent_experts_read_and_write_the_latent_width(tmp_path, capsys) -> None:
    relpath = "configs/nemotron_h/nemotron-3-super-120b-a12b-nvfp4.json"
    t = text_of(relpath)
    latent, d_expert = t["moe_latent_size"], t["moe_intermediate_size"]
    assert lint(tmp_path, capsys, relpath, {"W_1": [latent, d_expert], "W_2": [d_expert, latent]}) == []


def test_image_token_rows_are_part_of_w_e(tmp_path, capsys) -> None:
    relpath = "composite/mllama/llama-3.2-90b-vision-instruct.json"
    t = text_of(relpath)
    n_vocab, d = t["vocab_size"], t["hidden_size"]
    assert lint(tmp_path, capsys, relpath, {"W_E": [n_vocab + 8, d]}) == []
    [finding] = lint(tmp_path, capsys, relpath, {"W_E": [n_vocab, d]})
    assert "must be (n_vocab+extra_token_rows, d_model)" in finding


def test_a_state_space_stack_has_no_attention_or_mlp_weights(tmp_path, capsys) -> None:
    relpath = "configs/mamba/mamba-130m-hf.json"
    d = text_of(relpath)["hidden_size"]
    findings = lint(tmp_path, capsys, relpath, {"W_O": [d, d], "W_1": [d, 4 * d]})
    assert len(findings) == 2 and all("PL302" in f for f in findings)
    assert "has no W_O: no layer has the attention" in findings[0]
    assert "has no W_1: no layer has a feed-forward MLP" in findings[1]


def test_compressed_attention_has_no_w_o(tmp_path, capsys) -> None:
    relpath = "configs/deepseek_v4/deepseek-v4-flash.json"
    t = text_of(relpath)
    [finding] = lint(tmp_path, capsys, relpath, {"W_O": [t["num_attention_heads"] * t["head_dim"], t["hidden_size"]]})
    assert "PL302" in finding and "has no W_O" in finding
