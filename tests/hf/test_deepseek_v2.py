"""DeepSeek-V2 (deepseek_v2) as save_pretrained writes it: `num_experts_per_tok` null, the class
default. transformers builds every expert all the same, so the total is counted; how many a
token uses is not given, so there is no active count (tests/hf/saved/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

from param_lint.cli import main

SAVED = Path(__file__).parent / "saved" / "deepseek-v2-small-saved.json"


def test_a_saved_config_with_null_experts_per_token_counts_what_transformers_builds(capsys) -> None:
    assert json.loads(SAVED.read_text())["num_experts_per_tok"] is None
    assert main(["--isolated", "--format", "json", str(SAVED)]) == 0
    [entry] = json.loads(capsys.readouterr().out)["files"]
    assert entry["params"] == 1_506_752  # DeepseekV2ForCausalLM, transformers 4.57.6 and 5.24.0
    assert "active_params" not in entry and entry["diagnostics"] == []


def test_an_active_count_declared_for_it_cannot_be_checked(tmp_path, capsys) -> None:
    data = json.loads(SAVED.read_text()) | {"expected_active_params": 1_000_000}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data, indent=1))
    assert main(["--isolated", str(path)]) == 1
    out = capsys.readouterr().out
    assert "PL201 expected_active_params is 1,000,000 but the file does not say how many experts" in out


def test_a_wrong_total_for_it_is_still_diagnosed(tmp_path, capsys) -> None:
    # 98,304 more: the one MoE layer's 8 routed experts 80 wide instead of 64 (8 x 3 x 256 x 16)
    data = json.loads(SAVED.read_text()) | {"expected_params": 1_506_752 + 8 * 3 * 256 * 16}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data, indent=1))
    main(["--isolated", str(path), "--tolerance", "0"])
    assert "d_ff_expert=80: expected_params" in capsys.readouterr().out


def test_a_total_declared_as_zero_experts_per_token_is_not_explained_as_the_active_count(tmp_path, capsys) -> None:
    """1,113,536 is the model without its routed experts: with no experts per token given, there
    is no active count, so 'active per token only' is no explanation of it."""
    data = json.loads(SAVED.read_text()) | {"expected_params": 1_113_536}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data, indent=1))
    assert main(["--isolated", str(path), "--tolerance", "0"]) == 1
    out = capsys.readouterr().out
    assert "PL201 expected_params is 1,113,536" in out and "active_for_total" not in out
