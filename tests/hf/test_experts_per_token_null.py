"""`num_experts_per_tok: null` by the transformers release that has the model type: 4.57.6
builds every expert whatever it says (counted, no active count; test_deepseek_v2.py), while
the model types only 5.x has are strict config classes that refuse the null (PL101 at it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.cli import main

HF = Path(__file__).parent


def with_null(tmp_path: Path, source: str, text: bool = False) -> Path:
    data = json.loads((HF / source).read_text())
    (data["text_config"] if text else data)["num_experts_per_tok"] = None
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data, indent=1))
    return path


@pytest.mark.parametrize(
    "source, text",
    [
        ("configs/deepseek_v32/deepseek-v3.2-exp.json", False),
        ("configs/deepseek_v4/deepseek-v4-flash.json", False),
        ("configs/glm_moe_dsa/glm-5.1.json", False),
        ("configs/minimax_m2/minimax-m2.7-nvfp4.json", False),
        ("configs/nemotron_h/nemotron-3-nano-30b-a3b-bf16.json", False),
        ("composite/qwen3_5_moe/qwen3.5-35b-a3b.json", True),
    ],
)
def test_a_type_only_transformers_5_has_refuses_null_experts_per_token(tmp_path, capsys, source, text) -> None:
    path = with_null(tmp_path, source, text)
    assert main(["--isolated", str(path)]) == 1
    out = capsys.readouterr().out
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if '"num_experts_per_tok"' in row)
    assert f"config.json:{line}:" in out and "PL101 num_experts_per_tok is null: transformers 5.24.0 refuses it" in out


def test_a_type_transformers_4_57_has_counts_every_expert_for_null(tmp_path, capsys) -> None:
    path = with_null(tmp_path, "configs/mixtral/mixtral-8x22b-v0.1.json")
    assert main(["--isolated", "--format", "json", str(path)]) == 0
    [entry] = json.loads(capsys.readouterr().out)["files"]
    assert entry["params"] == 140_620_634_112  # MixtralForCausalLM, transformers 4.57.6 (5.24.0 refuses it)
    assert "active_params" not in entry
