"""blip (BLIP image captioning): a BERT-style text decoder with cross-attention over a ViT.
Totals, parts and tensor names against transformers 4.57.6 and 5.24.0 are in
tests/test_hf_composite.py and tests/checkpoint/test_names.py; these pin what is its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.dialects import CannotCount, Reader
from param_lint.dialects.hf import read as read_hf
from param_lint.parts import count_model

FILE = Path(__file__).parent / "hf" / "composite" / "blip" / "blip-image-captioning-large.json"


def blip(text: dict | None = None, vision: dict | None = None, **top) -> dict:
    data = {**json.loads(FILE.read_text()), **top}
    data["text_config"] = {**data["text_config"], **(text or {})}
    data["vision_config"] = {**data["vision_config"], **(vision or {})}
    return data


def total(data: dict) -> int:
    config = read_hf(Reader(data))
    return count_model(config.architecture, config.parts).total


def test_cross_attention_reads_the_vision_width_whatever_encoder_hidden_size_says() -> None:
    # transformers 4.57.6 and 5.24.0 alike: 445,901,372 (encoder_hidden_size 512, image_size 224):
    # BlipConfig overwrites encoder_hidden_size with vision_config's hidden_size; 380 fewer positions
    assert total(blip({"encoder_hidden_size": 512}, {"image_size": 224})) == 445_901_372


def test_a_text_model_that_is_not_a_decoder_has_no_cross_attention() -> None:
    # transformers 4.57.6 and 5.24.0 alike: 413,205,052 (is_decoder false, encoder_hidden_size 512)
    assert total(blip({"is_decoder": False, "encoder_hidden_size": 512})) == 413_205_052


@pytest.mark.parametrize("where", ["top", "text"])
def test_untied_word_embeddings_cannot_be_counted_yet(where: str) -> None:
    data = blip(tie_word_embeddings=False) if where == "top" else blip({"tie_word_embeddings": False})
    with pytest.raises(CannotCount):
        read_hf(Reader(data))


def test_another_blip_class_cannot_be_counted_yet() -> None:
    with pytest.raises(CannotCount) as error:
        read_hf(Reader(blip(architectures=["BlipForQuestionAnswering"])))
    assert "BlipForConditionalGeneration" in error.value.message
