"""Dual encoders (CLIPModel; SigLIP's code too): a text tower and a vision tower side by side.

The totals and parts of the published configs are checked against transformers in
test_hf_composite.py (tests/hf/composite/golden.json). These tests pin what a model with no
head over the vocabulary and no decoder means for the rules: no W_U is counted or expected,
diagnosis offers no what-if about tying one, and the text tower's attention (W_O
included) is checked as in any encoder.
"""

from __future__ import annotations

import json
from pathlib import Path

from param_lint.cli import main
from param_lint.counting import count
from param_lint.diagnose import catalogue
from param_lint.dialects import Reader
from param_lint.dialects.hf import read
from param_lint.load import load_path
from param_lint.shapes import expected_shapes as shapes

COMPOSITE = Path(__file__).parent / "hf" / "composite"
CLIP = COMPOSITE / "clip" / "clip-ViT-B-32.json"
GOLDEN = json.loads((COMPOSITE / "golden.json").read_text())["clip/clip-ViT-B-32.json"]


def clip_config():
    from param_lint.dialects import read as read_document

    document = load_path(str(CLIP)).document
    assert document is not None
    config, findings = read_document(document)
    assert config is not None and not findings
    return config


def test_the_text_tower_is_the_record_and_has_no_unembedding() -> None:
    a = clip_config().architecture
    assert (a.n_vocab, a.d_model, a.n_layer, a.n_context) == (49408, 512, 12, 77)
    assert not a.unembedding
    assert not count(a).terms("W_U")
    assert "W_U" not in shapes(a)


def test_untying_an_absent_head_changes_nothing() -> None:
    from dataclasses import replace

    a = clip_config().architecture
    assert count(replace(a, tie_embeddings=False)).total == count(a).total


def test_diagnosis_offers_no_tied_or_untied_head() -> None:
    ids = {mistake.id for mistake in catalogue(clip_config().architecture)}
    assert not ids & {"untied_head", "tied_head"}
    assert "wo_shape" in ids or "no_attn_bias" in ids  # the tower's attention is still examined


def test_w_o_is_expected_square_over_the_text_towers_width() -> None:
    accepted = [expected.shape for expected in shapes(clip_config().architecture)["W_O"]]
    assert accepted[0] == (512, 512)  # (n_head*d_head, d_model); per head (64, 512) too


def test_json_lists_text_vision_and_head_and_params_is_the_whole_model(capsys) -> None:
    main(["--isolated", "--format", "json", str(CLIP)])
    entry = json.loads(capsys.readouterr().out)["files"][0]
    assert entry["params"] == GOLDEN["total"]
    assert [part["name"] for part in entry["parts"]] == ["text", "vision", "head"]
    assert {part["name"]: part["params"] for part in entry["parts"]} == GOLDEN["parts"]


def test_breakdown_shows_the_projections_and_logit_scale(capsys) -> None:
    main(["--isolated", "--breakdown", str(CLIP)])
    out = capsys.readouterr().out
    assert "W_proj_vision       (768, 512)" in out and "W_proj_text         (512, 512)" in out
    assert "logit_scale" in out and "W_U" not in out


def test_a_declared_count_one_head_too_many_is_not_explained_as_an_untied_head(tmp_path, capsys) -> None:
    data = json.loads(CLIP.read_text())
    data["expected_params"] = GOLDEN["total"] + 512 * 49408
    data["tolerance"] = 0
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data))
    assert main(["--isolated", str(path)]) == 1
    out = capsys.readouterr().out
    assert "PL201" in out and "untied_head" not in out and "unembedding" not in out


def test_without_sub_configs_the_towers_are_the_config_classes_defaults() -> None:
    # CLIPConfig() builds openai/clip-vit-base-patch32's towers: the published count
    config = read(Reader({"model_type": "clip", "architectures": ["CLIPModel"]}))
    from param_lint.parts import count_model

    assert count_model(config.architecture, config.parts).total == GOLDEN["total"]


def test_text_config_dict_and_vision_config_dict_replace_the_sub_configs_as_clipconfig_does() -> None:
    # Older CLIP files carry both spellings; CLIPConfig (4.57.6 and 5.24.0) builds each tower
    # from the *_config_dict one, whatever text_config and vision_config say
    from param_lint.parts import count_model

    published = json.loads(CLIP.read_text())
    both = {
        **published,
        "text_config": {"hidden_size": 32, "num_attention_heads": 2},
        "vision_config": {},
        "text_config_dict": published["text_config"],
        "vision_config_dict": published["vision_config"],
    }
    config = read(Reader(both))
    assert count_model(config.architecture, config.parts).total == GOLDEN["total"]
    assert config.source("d_model") == ("text_config_dict", "hidden_size")


def test_only_the_dual_model_class_is_counted() -> None:
    import pytest

    from param_lint.dialects import CannotCount

    with pytest.raises(CannotCount) as caught:
        read(Reader({"model_type": "clip", "architectures": ["CLIPForImageClassification"]}))
    assert caught.value.path == ("architectures",)


def test_a_checkpoint_whose_text_tower_w_o_is_one_heads_width_is_pl301_at_that_tensor(tmp_path) -> None:
    import param_lint
    from tests.checkpoint.build import expected_tensors, write_checkpoint

    data = json.loads(CLIP.read_text())
    tensors = expected_tensors(data)
    name = "text_model.encoder.layers.5.self_attn.out_proj.weight"
    tensors[name] = (tensors[name][0], (64, 512))  # d_head (512 / 8 heads) where d_model belongs
    path = write_checkpoint(tmp_path / "clip", data, tensors)
    [finding] = [f for f in param_lint.lint(str(path), select=["PL301"])]
    assert name in finding.message and "its output dimension is 64, not d_model = 512" in finding.message


def test_a_checkpoint_with_every_clip_tensor_passes_and_holds_no_lm_head(tmp_path) -> None:
    import param_lint
    from tests.checkpoint.build import expected_tensors, write_checkpoint

    data = json.loads(CLIP.read_text())
    tensors = expected_tensors(data)
    assert "logit_scale" in tensors and not any("lm_head" in name for name in tensors)
    path = write_checkpoint(tmp_path / "clip", data, tensors, total_parameters=GOLDEN["total"])
    assert list(param_lint.lint(str(path), select=["PL5", "PL301"])) == []
