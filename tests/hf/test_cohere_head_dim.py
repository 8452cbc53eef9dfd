"""Cohere and Cohere 2 take a head_dim the config has as written: a null one is not
hidden_size / num_attention_heads (as llama's `or` makes it) but a model transformers 4.57.6
and 5.24.0 cannot build (the rotary embedding fails), so it is PL101 at head_dim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.cli import main

COHERE2 = Path(__file__).parent / "configs" / "cohere2" / "tiny-aya-global.json"


@pytest.mark.parametrize("model_type", ["cohere2", "cohere"])
def test_a_null_head_dim_is_refused_at_its_key(tmp_path, capsys, model_type) -> None:
    data = json.loads(COHERE2.read_text()) | {"model_type": model_type, "head_dim": None}
    data["architectures"] = ["Cohere2ForCausalLM" if model_type == "cohere2" else "CohereForCausalLM"]
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data, indent=1))
    assert main(["--isolated", str(path)]) == 1
    line = next(i for i, row in enumerate(path.read_text().splitlines(), 1) if '"head_dim"' in row)
    assert f"config.json:{line}:2: PL101 head_dim is null" in capsys.readouterr().out
