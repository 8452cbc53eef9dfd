"""Encoders and encoder-decoders from Hugging Face: the count of the class `architectures` names.

tests/hf/golden_encoders.json holds, for every published config under tests/hf/encoders/,
the count transformers gives the class the file's `architectures` names (the whole model,
its task head included), built on the meta device by tools/make_golden.py. These tests
never need torch.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.cli import main
from param_lint.dialects import CannotCount, ConfigError, Reader, read
from param_lint.dialects.hf import read as read_hf
from param_lint.load import load_path
from param_lint.parts import count_model

HF = Path(__file__).parent / "hf"
ENCODERS = HF / "encoders"
GOLDEN = {k: v for k, v in json.loads((HF / "golden_encoders.json").read_text()).items() if k != "_meta"}


def config_of(relpath: str):
    document = load_path(str(ENCODERS / relpath)).document
    assert document is not None
    config, findings = read(document)
    assert not findings, findings
    assert config is not None
    return config


def total_of(data: dict) -> int:
    config = read_hf(Reader(data))
    return count_model(config.architecture, config.parts).total


@pytest.mark.parametrize("relpath", sorted(GOLDEN), ids=str)
def test_count_equals_transformers(relpath: str) -> None:
    config = config_of(relpath)
    assert config.family == GOLDEN[relpath]["model_type"]
    assert count_model(config.architecture, config.parts).total == GOLDEN[relpath]["total"]


def test_where_transformers_versions_disagree_the_golden_says_which_the_file_means() -> None:
    for entry in GOLDEN.values():
        assert ("also" in entry) == ("means" in entry)


def test_the_mlm_head_ties_its_decoder_to_the_word_embedding_and_keeps_a_bias() -> None:
    config = config_of("bert/bert-base-uncased.json")
    breakdown = count_model(config.architecture, config.parts)
    assert breakdown.terms("W_U") == []
    assert [term.shape for term in breakdown.terms("b_U")] == [(30522,)]
    assert [term.shape for term in breakdown.terms("W_T")] == [(2, 768)]  # token types


def test_the_class_in_architectures_decides_the_head() -> None:
    data = json.loads((ENCODERS / "bert" / "bert-base-uncased.json").read_text())
    masked_lm = total_of(data)
    d, n_vocab = 768, 30522
    mlm_head = d * d + d + 2 * d + n_vocab
    pooler = d * d + d
    assert total_of(data | {"architectures": ["BertModel"]}) == masked_lm - mlm_head + pooler
    assert total_of(data | {"architectures": ["BertForPreTraining"]}) == masked_lm + pooler + 2 * d + 2
    labelled = data | {"architectures": ["BertForTokenClassification"], "id2label": {"0": "O", "1": "B", "2": "I"}}
    assert total_of(labelled) == masked_lm - mlm_head + 3 * d + 3


def test_an_encoder_lists_its_parts_in_json(capsys) -> None:
    main(["--format", "json", str(ENCODERS / "bert" / "bert-base-uncased.json")])
    entry = json.loads(capsys.readouterr().out)["files"][0]
    assert entry["params"] == GOLDEN["bert/bert-base-uncased.json"]["total"]
    assert [part["name"] for part in entry["parts"]] == ["text", "embeddings", "head"]


def test_a_class_param_lint_does_not_know_cannot_be_counted_at_architectures() -> None:
    data = json.loads((ENCODERS / "roberta" / "roberta-base.json").read_text())
    with pytest.raises(CannotCount) as caught:
        read_hf(Reader(data | {"architectures": ["RobertaForSomethingNew"]}))
    assert caught.value.path == ("architectures",)
    assert "RobertaForMaskedLM" in caught.value.message


def test_relative_position_embeddings_are_not_counted_as_absolute_ones() -> None:
    data = json.loads((ENCODERS / "bert" / "bert-base-uncased.json").read_text())
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(data | {"position_embedding_type": "relative_key"}))
    assert caught.value.path == ("position_embedding_type",)
