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


def declared(tmp_path, relpath: str, expected: int) -> str:
    data = json.loads((ENCODERS / relpath).read_text())
    data["expected_params"] = expected
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data, indent=2))
    return str(path)


def test_a_declared_count_off_by_layers_names_the_layer_key(tmp_path, capsys) -> None:
    per_layer = 4 * (768 * 768 + 768) + 768 * 3072 + 3072 + 3072 * 768 + 768 + 4 * 768
    total = GOLDEN["bert/bert-base-uncased.json"]["total"]
    assert main([declared(tmp_path, "bert/bert-base-uncased.json", total - 2 * per_layer)]) == 1
    assert "n_layer=10" in capsys.readouterr().out


def test_a_standalone_tower_is_its_stack_with_the_patch_embedding_as_a_part(capsys) -> None:
    config = config_of("vit/vit-base-patch16-224-in21k.json")
    assert not config.architecture.token_embedding
    breakdown = count_model(config.architecture, config.parts)
    assert breakdown.terms("W_E") == [] and breakdown.terms("W_U") == []
    assert [term.shape for term in breakdown.terms("W_P")] == [(197, 768)]  # 14 x 14 patches and [CLS]
    assert [term.shape for term in breakdown.terms("W_patch")] == [(3 * 16 * 16, 768)]
    assert [name for name, _ in breakdown.parts] == ["text", "embeddings", "head"]


def test_a_tower_count_off_by_layers_names_the_tower_key(tmp_path, capsys) -> None:
    total = GOLDEN["vit/vit-base-patch16-224-in21k.json"]["total"]
    per_layer = 4 * (768 * 768 + 768) + 2 * 768 * 3072 + 3072 + 768 + 4 * 768
    main([declared(tmp_path, "vit/vit-base-patch16-224-in21k.json", total - per_layer)])
    out = capsys.readouterr().out
    assert "n_layer=11" in out and "num_hidden_layers" in out


def test_electra_embeddings_are_embedding_size_wide_and_lifted_by_a_biased_projection() -> None:
    config = config_of("electra/l-ctra-danish-electra-small-cased.json")
    breakdown = count_model(config.architecture, config.parts)
    assert [term.shape for term in breakdown.terms("W_P")] == [(512, 128)]
    assert [term.shape for term in breakdown.terms("W_in")] == [(128, 256)]
    assert [term.shape for term in breakdown.terms("b_in")] == [(256,)]
    assert breakdown.terms("W_out") == []  # nothing projects back


def test_whisper_keys_have_no_bias_and_its_audio_front_end_is_a_part() -> None:
    config = config_of("whisper/whisper-base.json")
    breakdown = count_model(config.architecture, config.parts)
    assert breakdown.terms("b_K") == [] and breakdown.terms("cross.b_K") == []
    assert len(breakdown.terms("b_Q")) == 2  # encoder and decoder layers
    assert [term.shape for term in breakdown.terms("W_P_encoder")] == [(1500, 512)]
    assert [term.shape for term in breakdown.terms("W_P")] == [(448, 512)]  # the decoder's


def test_bart_stacks_each_have_their_own_positions_and_embedding_norm() -> None:
    breakdown = count_model(config_of("bart/bart-large-mnli.json").architecture)
    assert [term.shape for term in breakdown.terms("W_P_encoder")] == [(1026, 1024)]
    assert [term.shape for term in breakdown.terms("W_P_decoder")] == [(1026, 1024)]
    assert len(breakdown.terms("norm_E_encoder.weight") + breakdown.terms("norm_E_decoder.weight")) == 2


def test_mbart_is_bart_with_a_layernorm_after_each_stack() -> None:
    breakdown = count_model(config_of("mbart/mbart-large-50-many-to-many-mmt.json").architecture)
    names = {term.name for section in breakdown.sections for term in section.terms}
    assert {"W_P_encoder", "W_P_decoder", "norm_E_encoder.weight", "norm_E_decoder.weight"} <= names
    assert {"norm_encoderfinal.weight", "norm_decoderfinal.bias"} <= names
    assert "W_U" not in names  # the lm_head is the shared embedding


def test_mbart_task_classes_count_their_heads_over_the_same_model() -> None:
    data = json.loads((ENCODERS / "mbart" / "mbart-large-50-many-to-many-mmt.json").read_text())
    bare = total_of(data | {"architectures": ["MBartModel"]})
    assert bare == GOLDEN["mbart/mbart-large-50-many-to-many-mmt.json"]["total"]  # the lm_head is tied
    assert total_of(data | {"architectures": ["MBartForQuestionAnswering"]}) == bare + 1024 * 2 + 2
    # a dense layer and an out_proj over the file's 3 labels (transformers 4.57.6 and 5.24.0 agree)
    assert total_of(data | {"architectures": ["MBartForSequenceClassification"]}) == 611_932_163


def test_m2m100_positions_are_sinusoids_and_each_stack_ends_in_a_layernorm() -> None:
    breakdown = count_model(config_of("m2m_100/nllb-200-distilled-600M.json").architecture)
    names = {term.name for section in breakdown.sections for term in section.terms}
    assert not {name for name in names if name.startswith(("W_P", "norm_E"))}
    assert {"norm_encoderfinal.weight", "norm_decoderfinal.weight", "W_E"} <= names
    assert "W_U" not in names  # the lm_head is the shared embedding


def test_m2m100_model_without_lm_head_counts_the_same_tied_model() -> None:
    data = json.loads((ENCODERS / "m2m_100" / "m2m100_418M.json").read_text())
    bare = total_of(data | {"architectures": ["M2M100Model"]})
    assert bare == GOLDEN["m2m_100/m2m100_418M.json"]["total"]
    assert total_of(data | {"tie_word_embeddings": False}) == bare + 128112 * 1024


def test_an_encoder_decoder_whose_stacks_differ_in_width_cannot_be_counted_yet() -> None:
    data = json.loads((ENCODERS / "bart" / "bart-large-mnli.json").read_text())
    with pytest.raises(CannotCount) as caught:
        read_hf(Reader(data | {"encoder_ffn_dim": 2048}))
    assert caught.value.path == ("encoder_ffn_dim",)


def test_an_empty_architectures_list_is_the_default_class() -> None:
    data = json.loads((ENCODERS / "bert" / "bert-base-uncased.json").read_text())
    assert total_of(data | {"architectures": []}) == GOLDEN["bert/bert-base-uncased.json"]["total"]


@pytest.mark.parametrize("model_type", sorted({entry["model_type"] for entry in GOLDEN.values()}))
def test_wrong_typed_width_fails_at_its_key(model_type: str) -> None:
    relpath = next(key for key, entry in sorted(GOLDEN.items()) if entry["model_type"] == model_type)
    data = json.loads((ENCODERS / relpath).read_text())
    width_key = next(key for key in ("hidden_size", "dim", "d_model", "hidden_sizes") if key in data)
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(data | {width_key: "big"}))
    assert caught.value.path == (width_key,)


def test_mpnet_shares_one_relative_position_bias_across_layers_and_has_no_token_types() -> None:
    config = config_of("mpnet/all-mpnet-base-v2.json")
    breakdown = count_model(config.architecture, config.parts)
    assert [term.shape for term in breakdown.terms("R_bias")] == [(32, 12)]
    assert breakdown.terms("W_T") == []


def test_dinov2_has_two_layer_scales_a_layer_and_a_classifier_over_cls_and_mean_patch() -> None:
    data = json.loads((ENCODERS / "dinov2" / "dinov2-small.json").read_text())
    config = read_hf(Reader(data))
    breakdown = count_model(config.architecture, config.parts)
    scales = [s for s in breakdown.sections if s.name == "layer scale"]
    assert [(s.copies, [t.shape for t in s.terms]) for s in scales] == [(12, [(384,), (384,)])]
    labelled = data | {"architectures": ["Dinov2ForImageClassification"], "id2label": {"0": "a", "1": "b"}}
    assert total_of(labelled) == total_of(data) + 2 * 384 * 2 + 2


def test_mobilebert_blocks_run_at_the_bottleneck_width_between_hidden_size_streams() -> None:
    config = config_of("mobilebert/mobilebert-uncased-mnli.json")
    breakdown = count_model(config.architecture, config.parts)
    assert config.architecture.d_model == 128  # intra_bottleneck_size
    assert [term.shape for term in breakdown.terms("W_V")] == [(512, 128)]  # values read hidden_size
    assert [term.shape for term in breakdown.terms("W_P")] == [(512, 512)]
    stacked = [s for s in breakdown.sections if s.name.startswith("stacked MLP")]
    assert [(s.name, s.copies) for s in stacked] == [(f"stacked MLP {j}", 24) for j in (1, 2, 3)]
    assert breakdown.terms("W_pool") == []  # classifier_activation false: the pooler has no dense


def test_wav2vec2_reads_the_waveform_through_its_feature_encoder_and_a_weight_normalised_position_conv() -> None:
    config = config_of("wav2vec2/wav2vec2-base-emotion-ft.json")
    breakdown = count_model(config.architecture, config.parts)
    assert config.architecture.token_embedding is False
    assert [term.shape for term in breakdown.terms("W_conv0")] == [(512, 1, 10)]  # one channel in
    assert breakdown.terms("b_conv0") == []  # conv_bias false
    assert [term.shape for term in breakdown.terms("W_pos_g")] == [(1, 1, 128)]
    assert [term.shape for term in breakdown.terms("W_pos_v")] == [(768, 48, 128)]  # 16 groups
    assert [term.shape for term in breakdown.terms("W_cls")] == [(256, 8)]  # projector, then 8 labels


def test_wavlm_gates_every_layers_relative_bias_and_keeps_the_table_in_the_first() -> None:
    config = config_of("wavlm/wavlm-base-plus.json")
    breakdown = count_model(config.architecture, config.parts)
    [gates] = [s for s in breakdown.sections if s.name == "gated relative position bias"]
    [table] = [s for s in breakdown.sections if s.name == "relative positions"]
    assert (gates.copies, table.copies) == (12, 1)
    assert [term.shape for term in table.terms] == [(320, 12)]


def test_a_wav2vec2_adapter_cannot_be_counted_yet_and_says_so_at_its_key() -> None:
    data = json.loads((ENCODERS / "wav2vec2" / "wav2vec2-base-emotion-ft.json").read_text())
    with pytest.raises(CannotCount, match="add_adapter"):
        read_hf(Reader(data | {"add_adapter": True}))


def hubert_data(**overrides: object) -> dict:
    return json.loads((ENCODERS / "hubert" / "chinese-hubert-base.json").read_text()) | overrides


def test_hubert_is_wav2vec2s_encoder_without_a_quantizer() -> None:
    config = config_of("hubert/chinese-hubert-base.json")
    breakdown = count_model(config.architecture, config.parts)
    assert [term.shape for term in breakdown.terms("W_conv0")] == [(512, 1, 10)]
    assert [term.shape for term in breakdown.terms("W_pos_v")] == [(768, 48, 128)]  # weight-normalised
    assert [term.shape for term in breakdown.terms("W_features")] == [(512, 768)]
    assert breakdown.terms("codevectors") == [] and breakdown.terms("W_ctc") == []  # HubertModel


def test_hubert_without_feat_proj_layer_norm_projects_the_features_unnormalised() -> None:
    with_norm = total_of(hubert_data())
    assert total_of(hubert_data(feat_proj_layer_norm=False)) == with_norm - 2 * 512


def test_hubert_conv_pos_batch_norm_replaces_weight_normalisation_by_a_batch_norm() -> None:
    config = read_hf(Reader(hubert_data(conv_pos_batch_norm=True)))
    breakdown = count_model(config.architecture, config.parts)
    assert breakdown.terms("W_pos_g") == [] and breakdown.terms("W_pos_v") == []
    assert [term.shape for term in breakdown.terms("W_pos")] == [(768, 48, 128)]
    # a weight and bias per channel in place of the 128 tap magnitudes
    assert breakdown.total == total_of(hubert_data()) + 2 * 768 - 128


@pytest.mark.parametrize(
    ("head", "extra"),
    [("HubertForCTC", 768 * 32 + 32), ("HubertForSequenceClassification", 768 * 256 + 256 + 256 * 2 + 2)],
)
def test_hubert_task_classes_add_their_head_over_the_same_encoder(head: str, extra: int) -> None:
    assert total_of(hubert_data(architectures=[head])) == total_of(hubert_data()) + extra


def test_hubert_has_no_pretraining_class_to_count() -> None:
    with pytest.raises(CannotCount) as caught:
        read_hf(Reader(hubert_data(architectures=["HubertForPreTraining"])))
    assert caught.value.path == ("architectures",)


def test_clip_text_model_is_clips_text_tower_on_its_own() -> None:
    alone = read_hf(Reader({"model_type": "clip_text_model"}))
    in_clip = read_hf(Reader({"model_type": "clip", "architectures": ["CLIPModel"]}))
    assert alone.architecture == in_clip.architecture
    assert alone.parts == ()


def test_clip_text_model_with_projection_adds_a_bias_free_text_projection() -> None:
    data = json.loads((ENCODERS / "clip_text_model" / "stable-diffusion-v1-5-text_encoder.json").read_text())
    config = read_hf(Reader(data | {"architectures": ["CLIPTextModelWithProjection"]}))
    breakdown = count_model(config.architecture, config.parts)
    assert [term.shape for term in breakdown.terms("W_proj")] == [(768, 768)]
    assert breakdown.terms("b_proj") == []
    assert breakdown.total == GOLDEN["clip_text_model/stable-diffusion-v1-5-text_encoder.json"]["total"] + 768 * 768


def test_yolos_positions_cover_cls_the_patches_of_a_rectangular_image_and_the_detection_tokens() -> None:
    config = config_of("yolos/yolos-tiny.json")
    breakdown = count_model(config.architecture, config.parts)
    assert [term.shape for term in breakdown.terms("W_P")] == [(1 + 50 * 83 + 100, 192)]  # 800 x 1333, patch 16
    assert [term.shape for term in breakdown.terms("W_class_3")] == [(192, 92)]  # 91 labels + "no object"
    assert breakdown.terms("W_P_mid") == []  # use_mid_position_embeddings false


def test_segformer_counts_each_stage_from_its_own_entry_of_the_per_stage_lists() -> None:
    config = config_of("segformer/segformer-b0-finetuned-ade-512-512.json")
    breakdown = count_model(config.architecture, config.parts)
    assert config.architecture.d_model == 256  # the last stage: the record
    stages = {s.part for s in breakdown.sections if s.part.startswith("stage")}
    assert stages == {"stage1", "stage2", "stage3"}
    assert [term.shape for term in breakdown.terms("W_sr")] == [(32, 32, 8, 8), (64, 64, 4, 4), (160, 160, 2, 2)]
    assert [term.shape for term in breakdown.terms("W_seg")] == [(150, 256, 1, 1)]  # ADE20K's 150 classes


def test_segformer_per_stage_lists_are_not_held_to_the_schemas_integer_keys(capsys) -> None:
    main([str(ENCODERS / "segformer" / "segformer-b0-finetuned-ade-512-512.json")])
    assert "PL101" not in capsys.readouterr().out


def test_a_segformer_list_shorter_than_its_stages_fails_at_its_key() -> None:
    data = json.loads((ENCODERS / "segformer" / "segformer-b0-finetuned-ade-512-512.json").read_text())
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(data | {"depths": [2, 2]}))
    assert caught.value.path == ("depths",)


# whisper's reader does not read `architectures` (one class is counted)
@pytest.mark.parametrize("model_type", sorted({entry["model_type"] for entry in GOLDEN.values()} - {"whisper"}))
def test_a_class_name_that_is_not_a_string_fails_at_architectures(model_type: str) -> None:
    relpath = next(key for key, entry in sorted(GOLDEN.items()) if entry["model_type"] == model_type)
    data = json.loads((ENCODERS / relpath).read_text())
    with pytest.raises(ConfigError) as caught:
        read_hf(Reader(data | {"architectures": [["BertModel"]]}))
    assert caught.value.path == ("architectures",)
    assert "architectures[0] must be a class name" in caught.value.message


def test_an_openai_whisper_dimensions_file_is_pl102_at_its_first_foreign_key() -> None:
    # MLX and openai-whisper write ModelDimensions (n_audio_state ...): transformers reads none
    # of those keys and would build whisper-tiny, not the model the file describes.
    dims = {"n_mels": 128, "n_audio_state": 1280, "n_audio_layer": 32, "n_text_layer": 4, "model_type": "whisper"}
    with pytest.raises(CannotCount) as caught:
        read_hf(Reader(dims))
    assert caught.value.path == ("n_audio_state",)
