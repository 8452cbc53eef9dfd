"""exaone4_5 (EXAONE 4.5): EXAONE 4.0's text model beside Qwen2.5-VL's vision tower with
grouped-query attention. Totals, parts and tensor names against transformers 5.24.0 are in
tests/test_hf_composite.py and tests/checkpoint/test_names.py; these pin what is its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.dialects import ConfigError, Reader
from param_lint.dialects.hf import read as read_hf
from param_lint.parts import count_model

FILE = Path(__file__).parent / "hf" / "composite" / "exaone4_5" / "exaone-4.5-33b.json"


def exaone4_5(**top) -> dict:
    return {**json.loads(FILE.read_text()), **top}


def total(data: dict) -> int:
    config = read_hf(Reader(data))
    return count_model(config.architecture, config.parts).total


def test_vision_key_and_value_projections_are_num_key_value_heads_wide() -> None:
    # 32 heads of 2048 / 32 = 64: W_K and W_V are 8 x 64 = 512 wide (fused qkv: 2048 + 2 x 512 rows)
    config = read_hf(Reader(exaone4_5()))
    layer = next(
        s for s in count_model(config.architecture, config.parts).sections if s.part == "vision" and s.copies == 28
    )
    shapes = {term.name: term.shape for term in layer.terms}
    assert shapes["W_Q"] == (2048, 2048)
    assert shapes["W_K"] == shapes["W_V"] == (2048, 512)


def test_the_top_level_flag_ties_lm_head_not_the_text_config() -> None:
    # transformers 5.24.0: top-level true ties (786,432,000 fewer); text_config's flag changes nothing
    data = exaone4_5()
    data["text_config"] = {**data["text_config"], "tie_word_embeddings": True}
    assert total(data) == total(exaone4_5())
    assert total(exaone4_5()) - total(exaone4_5(tie_word_embeddings=True)) == 153600 * 5120


def test_vision_num_heads_must_divide_hidden_size() -> None:
    data = exaone4_5()
    data["vision_config"] = {**data["vision_config"], "num_heads": 30}
    with pytest.raises(ConfigError) as error:
        read_hf(Reader(data))
    assert error.value.path[-2:] == ("vision_config", "num_heads")
