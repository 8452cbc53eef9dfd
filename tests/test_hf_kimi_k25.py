"""kimi_k25 (Kimi-K2.5): DeepSeek-V3's text model, MoonViT and a patch-merging projector, as
transformers 5 builds them natively (Kimi_K25ForConditionalGeneration) although the published
file names its remote-code class. Totals, parts, the active count and tensor names against
transformers 5.24.0 are in tests/test_hf_composite.py and tests/checkpoint/test_names.py."""

from __future__ import annotations

import json
from pathlib import Path

from param_lint.cli import main
from param_lint.dialects import Reader
from param_lint.dialects.hf import read as read_hf
from param_lint.parts import count_model

FILE = Path(__file__).parent / "hf" / "composite" / "kimi_k25" / "kimi-k2.5-nvfp4.json"


def kimi_k25(**top) -> dict:
    return {**json.loads(FILE.read_text()), **top}


def total(data: dict) -> int:
    config = read_hf(Reader(data))
    return count_model(config.architecture, config.parts).total


def test_a_remote_code_file_is_counted_as_the_native_model(capsys) -> None:
    assert "auto_map" in kimi_k25()
    assert main(["--format", "json", str(FILE)]) == 0
    assert json.loads(capsys.readouterr().out)["files"][0]["params"] == 1_026_879_353_328


def test_the_top_level_flag_ties_lm_head_and_defaults_to_true() -> None:
    # transformers 5.24.0: without the top-level key lm_head is tied (1,174,405,120 fewer);
    # text_config's flag changes nothing
    untied = total(kimi_k25())
    data = kimi_k25()
    del data["tie_word_embeddings"]
    assert untied - total(data) == 163840 * 7168
    data = kimi_k25()
    data["text_config"] = {**data["text_config"], "tie_word_embeddings": True}
    assert total(data) == untied


def test_vision_positions_are_a_learned_height_by_width_grid() -> None:
    data = kimi_k25()
    data["vision_config"] = {**data["vision_config"], "pos_emb_height": 32, "pos_emb_width": 48}
    assert total(kimi_k25()) - total(data) == (64 * 64 - 32 * 48) * 1152
