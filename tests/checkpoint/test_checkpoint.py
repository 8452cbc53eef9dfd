"""A checkpoint beside its config.json is checked against it, from the index and the
safetensors headers alone (PL501-PL507, PL301 at the tensor). The checkpoints here are
written by tests/checkpoint/build.py: real headers over zero bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import param_lint
from param_lint.checkpoint import safetensors
from param_lint.checkpoint.names import NAMINGS
from param_lint.cli import main

from .build import expected_tensors, write_checkpoint, write_raw

HF = Path(__file__).resolve().parents[1] / "hf" / "configs"
PUBLISHED = Path(__file__).parent / "published"
CHECKPOINT_CODES = ("PL301", "PL501", "PL502", "PL503", "PL504", "PL505", "PL506", "PL507")

TINY = {
    "model_type": "llama",
    "vocab_size": 64,
    "hidden_size": 16,
    "intermediate_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "tie_word_embeddings": False,
    "torch_dtype": "bfloat16",
}
TINY_PARAMS = 64 * 16 * 2 + 2 * (16 * 16 * 2 + 16 * 8 * 2 + 3 * 16 * 32 + 2 * 16) + 16


def findings(config: Path, *codes: str):
    return [f for f in param_lint.lint(str(config), select=list(codes or CHECKPOINT_CODES))]


def codes(config: Path) -> list[str]:
    return [f.code for f in findings(config)]


def tiny(tmp_path: Path, change=None, config=None, **options) -> Path:
    data = dict(config or TINY)
    tensors = expected_tensors(data)
    if change:
        change(tensors)
    return write_checkpoint(tmp_path / "model", data, tensors, **options)


# --- every family passes with the right tensors ----------------------------------------

# configs of our own first: a family with a published config is checked on that (the later folder)
OWN = (HF.parent / "configs_own", HF.parent / "composite_own")
FOLDERS = (*OWN, HF, HF.parent / "composite", HF.parent / "encoders", HF.parent / "remote")
ONE_PER_FAMILY = sorted(
    {
        p.parent.name: p for folder in FOLDERS for p in sorted(folder.glob("*/*.json")) if p.parent.name in NAMINGS
    }.values()
)


@pytest.mark.parametrize("config", ONE_PER_FAMILY, ids=lambda p: p.parent.name)
def test_a_checkpoint_with_the_tensors_the_config_implies_passes(tmp_path, config):
    data = json.loads(config.read_text())
    data.pop("quantization_config", None)  # deepseek-r1 is published in fp8; checked unquantized here
    data["torch_dtype"] = "bfloat16"
    params = param_lint.count(data).total
    path = write_checkpoint(tmp_path / "model", data, expected_tensors(data), shards=3, total_parameters=params)
    assert findings(path) == []


LEGACY = (  # the layout save_pretrained writes for a LLaVA-style model (transformers 4.57.6)
    ("model.language_model.", "language_model.model."),
    ("model.vision_tower.", "vision_tower."),
    ("model.multi_modal_projector.", "multi_modal_projector."),
    ("lm_head.", "language_model.lm_head."),
)


def legacy(name: str) -> str:
    for new, old in LEGACY:
        if name.startswith(new):
            return old + name.removeprefix(new)
    return name


def test_a_multimodal_checkpoint_in_the_published_layout_passes(tmp_path):
    data = json.loads((HF.parent / "composite" / "llava" / "llava-1.5-7b-hf.json").read_text())
    tensors = {legacy(name): tensor for name, tensor in expected_tensors(data).items()}
    assert "language_model.model.layers.0.self_attn.o_proj.weight" in tensors
    assert "vision_tower.vision_model.encoder.layers.0.self_attn.out_proj.weight" in tensors
    path = write_checkpoint(tmp_path / "llava", data, tensors, shards=2, total_parameters=param_lint.count(data).total)
    assert findings(path) == []


def test_a_vision_towers_wrong_output_projection_is_pl301_at_that_tensor(tmp_path):
    data = json.loads((HF.parent / "composite" / "llava" / "llava-1.5-7b-hf.json").read_text())
    tensors = expected_tensors(data)
    name = "model.vision_tower.vision_model.encoder.layers.3.self_attn.out_proj.weight"
    dtype, shape = tensors[name]
    tensors[name] = (dtype, (64, 1024))  # the tower's d_head, not its d_model (1024)
    path = write_checkpoint(tmp_path / "llava", data, tensors)
    [finding] = [f for f in findings(path) if f.code == "PL301"]
    assert name in finding.message and "its output dimension is 64, not d_model = 1,024" in finding.message


def test_an_old_bert_checkpoint_with_gamma_beta_and_position_ids_passes_with_the_buffer_named(tmp_path):
    data = json.loads((HF.parent / "encoders" / "bert" / "bert-base-uncased.json").read_text())
    old = {
        name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta"): tensor
        for name, tensor in expected_tensors(data).items()
    }
    old["bert.embeddings.position_ids"] = ("I64", (1, 512))
    assert "bert.encoder.layer.0.output.LayerNorm.gamma" in old
    [finding] = findings(write_checkpoint(tmp_path / "bert", data, old))
    assert finding.code == "PL504" and "position_ids buffer" in finding.message


def test_a_wav2vec2_checkpoint_with_weight_g_and_weight_v_passes(tmp_path):
    data = json.loads((HF.parent / "encoders" / "wav2vec2" / "wav2vec2-base-emotion-ft.json").read_text())
    old = {
        name.replace("parametrizations.weight.original0", "weight_g").replace(
            "parametrizations.weight.original1", "weight_v"
        ): t
        for name, t in expected_tensors(data).items()
    }
    assert "wav2vec2.encoder.pos_conv_embed.conv.weight_g" in old
    assert findings(write_checkpoint(tmp_path / "wav2vec2", data, old)) == []


def test_a_single_file_checkpoint_without_index_passes(tmp_path):
    path = tiny(tmp_path)
    assert (path.parent / "model.safetensors").exists() and not (path.parent / "model.safetensors.index.json").exists()
    assert findings(path) == []


# --- one test per mismatch --------------------------------------------------------------


def test_a_parameter_total_other_than_the_configs_is_PL501(tmp_path):
    path = tiny(tmp_path, shards=2, total_parameters=TINY_PARAMS + 1)
    [finding] = findings(path, "PL501")
    assert finding.path.endswith("model.safetensors.index.json") and "off by +1" in finding.message


def test_without_total_parameters_the_headers_are_summed_PL501(tmp_path):
    path = tiny(tmp_path, lambda t: t.update({"extra.weight": ("BF16", (10,))}))
    [finding] = findings(path, "PL501")
    assert "the safetensors headers" in finding.message and "off by +10" in finding.message


def test_a_total_size_at_another_dtype_is_PL502(tmp_path):
    path = tiny(tmp_path, shards=2)
    index = path.parent / "model.safetensors.index.json"
    document = json.loads(index.read_text())
    document["metadata"]["total_size"] *= 2  # float32 bytes for a bfloat16 config
    index.write_text(json.dumps(document, indent=2))
    [finding] = findings(path, "PL502")
    assert "shards' headers hold" in finding.message


def test_an_index_only_total_size_at_another_dtype_is_PL502(tmp_path):
    path = tiny(tmp_path, shards=2)
    for shard in path.parent.glob("*.safetensors"):
        shard.unlink()  # only the index: total_size is compared with the count at torch_dtype
    index = path.parent / "model.safetensors.index.json"
    document = json.loads(index.read_text())
    document["metadata"]["total_size"] = TINY_PARAMS * 4
    index.write_text(json.dumps(document, indent=2))
    [finding] = findings(path, "PL502")
    assert f"{TINY_PARAMS:,} parameters at bfloat16 are {TINY_PARAMS * 2:,} bytes" in finding.message


def test_a_missing_tensor_is_PL503(tmp_path):
    path = tiny(tmp_path, lambda t: t.pop("lm_head.weight"), shards=2)
    [finding] = findings(path, "PL503")
    assert finding.message == "tensor lm_head.weight (64, 16) is missing"


def test_a_tensor_missing_in_every_layer_is_one_PL503(tmp_path):
    def drop(tensors):
        for i in range(2):
            tensors.pop(f"model.layers.{i}.post_attention_layernorm.weight")

    [finding] = findings(tiny(tmp_path, drop, shards=2), "PL503")
    assert "(and 1 more like it: model.layers.{}.post_attention_layernorm.weight)" in finding.message


def test_an_unknown_tensor_is_a_PL504_warning_at_its_header_entry(tmp_path):
    path = tiny(tmp_path, lambda t: t.update({"model.layers.2.mlp.up_proj.weight": ("BF16", (32, 16))}))
    [finding] = findings(path, "PL504")
    assert finding.severity == "warning" and finding.path.endswith("model.safetensors")
    assert "layer 2; the config has 2 layers" in finding.message
    header = (path.parent / "model.safetensors").read_bytes()
    assert header[finding.column - 1 :].startswith(b'"model.layers.2.mlp.up_proj.weight"')


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("model.layers.0.self_attn.rotary_emb.inv_freq", "rotary inv_freq"),
        ("lm_head.weight", "tied token embedding"),
    ],
)
def test_the_usual_extras_are_named(tmp_path, name, what):
    config = {**TINY, "tie_word_embeddings": True}

    def add(tensors):
        tensors[name] = ("F32", (2,)) if "inv_freq" in name else ("BF16", (64, 16))

    [finding] = findings(tiny(tmp_path, add, config=config), "PL504")
    assert what in finding.message
    assert codes(tiny(tmp_path / "again", add, config=config)) == ["PL504"]  # nothing else: totals hold


def test_multi_token_prediction_layers_are_named(tmp_path):
    config = json.loads((HF / "deepseek_v3" / "deepseek-r1.json").read_text())
    config.pop("quantization_config")
    config.update(
        num_hidden_layers=2, first_k_dense_replace=1, n_routed_experts=4, num_experts_per_tok=2, n_group=1, topk_group=1
    )

    def add(tensors):
        tensors["model.layers.2.eh_proj.weight"] = ("BF16", (7168, 14336))
        tensors["model.layers.2.enorm.weight"] = ("BF16", (7168,))

    [finding] = findings(tiny(tmp_path, add, config=config, shards=2), "PL504")
    assert "multi-token-prediction layer (num_nextn_predict_layers: 1)" in finding.message
    assert finding.message.endswith("(and 1 more of the kind)")


def test_a_wrongly_shaped_tensor_is_PL505(tmp_path):
    path = tiny(tmp_path, lambda t: t.update({"model.layers.0.self_attn.k_proj.weight": ("BF16", (16, 16))}))
    [finding] = findings(path, "PL505")
    assert "is (16, 16) but the config implies (8, 16) (W_K)" in finding.message


def test_a_wrongly_shaped_attention_output_projection_is_PL301_naming_the_dimension(tmp_path):
    path = tiny(tmp_path, lambda t: t.update({"model.layers.1.self_attn.o_proj.weight": ("BF16", (4, 16))}))
    [finding] = findings(path, "PL301", "PL505")
    assert finding.code == "PL301"
    assert "its output dimension is 4, not d_model = 16" in finding.message
    assert [e.id for e in finding.explanations] == ["wo_shape"]  # d_head: the article's mistake


def test_gpt2_conv1d_w_o_is_checked_in_its_own_layout(tmp_path):
    config = json.loads((HF / "gpt2" / "gpt2.json").read_text())
    config.update(n_layer=1)
    path = tiny(tmp_path, lambda t: t.update({"transformer.h.0.attn.c_proj.weight": ("F32", (768, 64))}), config=config)
    [finding] = findings(path, "PL301")
    assert "(n_head*d_head, d_model) = (768, 768) as stored (in, out)" in finding.message


def test_a_bare_base_model_checkpoint_without_prefix_passes(tmp_path):
    config = json.loads((HF / "gpt2" / "gpt2.json").read_text())
    config.update(n_layer=1)
    tensors = {name.removeprefix("transformer."): t for name, t in expected_tensors(config, "F32").items()}
    tensors["h.0.attn.bias"] = ("F32", (1, 1, 1024, 1024))  # old GPT-2 exports keep the causal mask
    path = write_checkpoint(tmp_path / "gpt2", config, tensors)
    assert codes(path) == ["PL504"] and "causal-mask buffer" in findings(path)[0].message


# --- quantized ----------------------------------------------------------------------------


def gptq(tensors):
    for name in [n for n in tensors if n.startswith("model.layers.") and "_proj" in n]:
        out, inp = tensors.pop(name)[1]
        module = name.removesuffix(".weight")
        tensors[module + ".qweight"] = ("I32", (inp * 4 // 32, out))
        tensors[module + ".qzeros"] = ("I32", (inp // 8, out * 4 // 32))
        tensors[module + ".scales"] = ("F16", (inp // 8, out))
        tensors[module + ".g_idx"] = ("I32", (inp,))


QUANTIZED = {**TINY, "quantization_config": {"quant_method": "gptq", "bits": 4, "group_size": 8}}


def test_a_quantized_checkpoint_is_recognised(tmp_path):
    assert findings(tiny(tmp_path, gptq, config=QUANTIZED, shards=2)) == []


def test_a_quantized_checkpoint_still_needs_every_module(tmp_path):
    def drop(tensors):
        gptq(tensors)
        for suffix in ("qweight", "qzeros", "scales", "g_idx"):
            tensors.pop(f"model.layers.0.mlp.up_proj.{suffix}")

    [finding] = findings(tiny(tmp_path, drop, config=QUANTIZED, shards=2))
    assert finding.code == "PL503" and "model.layers.0.mlp.up_proj.weight" in finding.message


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("gptq", "qweight"),
        ("gptq", "scales"),
        ("gptq", "g_idx"),
        ("compressed-tensors", "weight_scale"),
        ("compressed-tensors", "weight_zero_point"),
        ("compressed-tensors", "weight_packed"),
        ("bitsandbytes", "SCB"),
        ("quanto", "weight_scale"),
    ],
)
@pytest.mark.parametrize("norm", ["model.norm", "model.layers.0.input_layernorm"])
def test_quantization_data_beside_a_norms_vector_is_unknown(tmp_path, method, suffix, norm):
    """No quantizer transformers supports quantizes a norm's weight: GPTQ, AWQ, bitsandbytes and
    fp8 replace linear layers, compressed-tensors linear layers and embeddings (and refuses
    other modules), so a quantization suffix beside a norm is unknown (PL504)."""
    config = {**TINY, "quantization_config": {"quant_method": method}}
    name = f"{norm}.{suffix}"
    [finding] = findings(tiny(tmp_path, lambda t: t.update({name: ("F32", (1,))}), config=config), "PL504")
    assert f"{name}: not a weight" in finding.message


def test_quanto_input_scale_beside_a_layernorm_is_quantization_data(tmp_path):
    """transformers' quanto integration wraps nn.LayerNorm as QLayerNorm when activations are
    quantized, which holds input_scale (and output_scale) beside the norm's weight."""
    config = {**TINY, "quantization_config": {"quant_method": "quanto", "activations": "int8"}}
    name = "model.norm.input_scale"
    assert findings(tiny(tmp_path, lambda t: t.update({name: ("F32", ())}), config=config), "PL504") == []


@pytest.mark.parametrize("method", ["compressed-tensors", "torchao", "fp8"])
def test_a_weight_scale_beside_the_embedding_stays_quantization_data(tmp_path, method):
    """compressed-tensors and torchao quantize nn.Embedding too, and fp8's FP8Embedding keeps a
    weight_scale (transformers 5.24.0): a scale beside the token embedding is no stray."""
    config = {**TINY, "quantization_config": {"quant_method": method}}
    name = "model.embed_tokens.weight_scale"
    assert findings(tiny(tmp_path, lambda t: t.update({name: ("F32", (1,))}), config=config), "PL504") == []


# --- hostile and unreadable files: PL506, never a traceback ------------------------------


def shard_with(tmp_path: Path, header: bytes | str, data: int = 0, length: int | None = None) -> Path:
    path = tiny(tmp_path)
    write_raw(path.parent / "model.safetensors", header, data, length)
    return path


def entry(dtype="BF16", shape=(2,), offsets=(0, 4)) -> dict:
    return {"dtype": dtype, "shape": list(shape), "data_offsets": list(offsets)}


@pytest.mark.parametrize(
    ("header", "data", "length", "says"),
    [
        ("{}", 0, 10**9, "exceeds the format's limit"),
        ("{}", 0, 4096, "runs past the end"),
        ('{"a": ', 0, None, "not valid JSON"),
        (b'{"\xff": 1}', 0, None, "not UTF-8"),
        ("[1, 2]", 0, None, "not a JSON object"),
        (
            '{"a": ' + json.dumps(entry()) + ', "a": ' + json.dumps(entry(offsets=(4, 8))) + "}",
            8,
            None,
            "names tensor 'a' twice",
        ),
        (json.dumps({"a": entry()}), 8, None, "bytes 4 to 8 of the data belong to no tensor"),
        (json.dumps({"a": entry(dtype="F12")}), 4, None, "dtype 'F12' is not one of the format's"),
        (json.dumps({"a": entry(shape=(3,))}), 4, None, "needs 6"),
        (json.dumps({"a": entry(offsets=(0, 40))}), 4, None, "lie outside the 4 bytes of data"),
        (json.dumps({"a": entry(offsets=(-4, 0))}), 4, None, "lie outside"),
        (json.dumps({"a": entry(offsets=(0.0, 4.0))}), 4, None, "not a pair of integers"),
        (json.dumps({"a": entry(offsets=(False, 4))}), 4, None, "not a pair of integers"),
        (json.dumps({"a": entry(dtype=["BF16"])}), 4, None, "is not one of the format's"),
        (json.dumps({"a": entry(shape=("x",))}), 4, None, "not a list of at most 32"),
        (json.dumps({"a": entry(shape=(True, 2))}), 4, None, "not a list of at most 32"),
        (json.dumps({"a": entry(shape=(2.0,))}), 4, None, "not a list of at most 32"),
        (json.dumps({"a": entry(shape=(2**64,))}), 4, None, "not a list of at most 32"),
        (json.dumps({"a": entry(shape=[1] * 33, offsets=(0, 2))}), 4, None, "not a list of at most 32"),
        (json.dumps({"a": entry(), "b": entry(offsets=(2, 6))}), 6, None, "overlap"),
        (json.dumps({"__metadata__": {"format": 1}}), 0, None, "__metadata__ must map names to strings"),
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", 0, None, "not valid JSON"),
    ],
)
def test_a_hostile_header_is_PL506(tmp_path, header, data, length, says):
    path = shard_with(tmp_path, header, data, length)
    found = findings(path, "PL506")
    assert found and found[0].path.endswith("model.safetensors")
    assert any(says in f.message for f in found), [f.message for f in found]


def test_a_file_shorter_than_the_length_prefix_is_PL506(tmp_path):
    path = tiny(tmp_path)
    (path.parent / "model.safetensors").write_bytes(b"\x01\x02")
    [finding] = findings(path, "PL506")
    assert "too short" in finding.message


def test_only_the_header_is_read(tmp_path, monkeypatch):
    path = tiny(tmp_path)
    shard = path.parent / "model.safetensors"
    length = int.from_bytes(shard.read_bytes()[:8], "little")
    read = []
    real_open = open

    class Counting:
        def __init__(self, file):
            self.file = file

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def fileno(self):
            return self.file.fileno()

        def read(self, size=-1):
            assert size >= 0, "an unbounded read"
            data = self.file.read(size)
            read.append(len(data))
            return data

    monkeypatch.setattr(safetensors, "open", lambda p, mode="r": Counting(real_open(p, mode)), raising=False)
    header = safetensors.read_header(str(shard))
    assert not header.problems and sum(read) == 8 + length < shard.stat().st_size


@pytest.mark.parametrize(
    ("index", "says"),
    [
        ("{", "not valid JSON"),
        ('{"metadata": {}}', "no `weight_map`"),
        ('{"weight_map": {"lm_head.weight": "../../etc/passwd"}}', "is not a file name in this folder"),
        ('{"metadata": {"total_size": "big"}, "weight_map": {}}', "metadata.total_size must be"),
    ],
)
def test_a_hostile_index_is_PL506(tmp_path, index, says):
    path = tiny(tmp_path, shards=2)
    (path.parent / "model.safetensors.index.json").write_text(index)
    assert any(says in f.message for f in findings(path, "PL506"))


def test_an_index_that_disagrees_with_the_headers_is_PL506(tmp_path):
    path = tiny(tmp_path, shards=2)
    index = path.parent / "model.safetensors.index.json"
    document = json.loads(index.read_text())
    first = document["weight_map"]["model.embed_tokens.weight"]
    document["weight_map"]["model.embed_tokens.weight"] = next(
        s for s in set(document["weight_map"].values()) if s != first
    )
    index.write_text(json.dumps(document, indent=2))
    messages = [f.message for f in findings(path, "PL506")]
    assert any("header lacks it" in m for m in messages) and any("the index puts it in" in m for m in messages)


# --- Git LFS pointers, .bin indexes ------------------------------------------------------


def test_git_lfs_pointers_are_not_present_not_corrupt_and_the_index_is_still_checked(tmp_path):
    path = tiny(tmp_path, lambda t: t.pop("lm_head.weight"), shards=2)
    pointer = (PUBLISHED / "wizardlm-2-8x22b" / "model-00001-of-00059.safetensors").read_bytes()
    for shard in path.parent.glob("*.safetensors"):
        shard.write_bytes(pointer)
    assert sorted(codes(path)) == ["PL502", "PL503", "PL507"]  # total_size lacks the missing head too


def test_a_pytorch_bin_index_is_checked_by_name(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(TINY))
    names = [n for n in expected_tensors(TINY) if n != "model.norm.weight"]
    weight_map = {name: "pytorch_model-00001-of-00001.bin" for name in names}
    document = {"metadata": {"total_size": (TINY_PARAMS - 16) * 2}, "weight_map": weight_map}
    (folder / "pytorch_model.bin.index.json").write_text(json.dumps(document, indent=2))
    assert sorted(codes(folder / "config.json")) == ["PL502", "PL503"]


# --- real published index files -------------------------------------------------------------


def test_the_published_gemma_2b_index_matches_its_config(tmp_path):
    """Its weight_map holds the tied lm_head a second time, and total_size counts it."""
    found = findings(PUBLISHED / "gemma-2b" / "config.json")
    assert sorted((f.code, f.line, f.column) for f in found) == [("PL504", 6, 5), ("PL507", 1, 1)]


def test_the_published_gemma_2b_index_catches_a_wrong_num_key_value_heads(tmp_path):
    folder = tmp_path / "gemma-2b"
    folder.mkdir()
    (folder / "model.safetensors.index.json").write_bytes(
        (PUBLISHED / "gemma-2b" / "model.safetensors.index.json").read_bytes()
    )
    config = json.loads((PUBLISHED / "gemma-2b" / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**config, "num_key_value_heads": 8}))
    assert "PL502" in codes(folder / "config.json")


# --- the command line ---------------------------------------------------------------------------


def test_param_lint_on_a_model_folder_checks_config_and_checkpoint_only(tmp_path, capsys):
    path = tiny(tmp_path, lambda t: t.pop("lm_head.weight"), shards=2)
    (path.parent / "tokenizer.json").write_text('{"model": {"type": "BPE"}}')
    (path.parent / "generation_config.json").write_text("{}")
    assert main([str(path.parent)]) == 1
    out = capsys.readouterr().out
    assert "PL503 tensor lm_head.weight (64, 16) is missing" in out
    assert "tokenizer.json" not in out and "generation_config.json" not in out
    assert out.endswith("in 1 file.\n")


def test_param_lint_on_a_config_json_checks_its_checkpoint(tmp_path, capsys):
    path = tiny(tmp_path)
    assert main([str(path)]) == 0
    assert main([str(path.parent / "config.json"), "--select", "PL5"]) == 0


def test_json_output_gives_each_checkpoint_findings_file(tmp_path, capsys):
    path = tiny(tmp_path, lambda t: t.pop("lm_head.weight"), shards=2)
    main([str(path), "--format", "json"])
    [diagnostic] = [d for d in json.loads(capsys.readouterr().out)["files"][0]["diagnostics"] if d["code"] == "PL503"]
    assert diagnostic["path"].endswith("model.safetensors.index.json")


def test_an_fp8_checkpoint_keeps_its_shapes_checked(tmp_path):
    config = {**TINY, "quantization_config": {"quant_method": "fp8", "weight_block_size": [128, 128]}}

    def fp8(tensors):
        for name in [n for n in tensors if n.endswith("_proj.weight")]:
            tensors[name] = ("F8_E4M3", tensors[name][1])
            tensors[name + "_scale_inv"] = ("F32", (1, 1))
        tensors["model.layers.0.self_attn.k_proj.weight"] = ("F8_E4M3", (16, 16))

    [finding] = findings(tiny(tmp_path, fp8, config=config, shards=2))
    assert finding.code == "PL505" and "k_proj" in finding.message


@pytest.mark.parametrize("suffix", ["scale", "qscale_weight"])
def test_fp8_block_scales_under_the_names_transformers_renames_are_quantization_data(tmp_path, suffix):
    """DeepSeek-V4's `wkv.scale`, Mistral Large 3's `qscale_weight`: the fp8 quantizer of
    transformers 5.24.0 renames both to weight_scale_inv on load."""
    config = {**TINY, "quantization_config": {"quant_method": "fp8", "weight_block_size": [128, 128]}}

    def fp8(tensors):
        for name in [n for n in tensors if n.endswith("_proj.weight")]:
            tensors[name] = ("F8_E4M3", tensors[name][1])
            tensors[name.removesuffix("weight") + suffix] = ("F32", (1, 1))

    assert findings(tiny(tmp_path, fp8, config=config, shards=2)) == []


@pytest.mark.parametrize("suffix", ["weight_scale_inv", "scale"])
def test_an_fp8_weight_stored_as_its_scale_alone_is_missing(tmp_path, suffix):
    """fp8 stores every weight itself (8-bit floats) beside its block scales: a scale does not
    stand for a weight that is not there, as GPTQ's qweight does."""
    config = {**TINY, "quantization_config": {"quant_method": "fp8", "weight_block_size": [128, 128]}}

    def fp8(tensors):
        for name in [n for n in tensors if n.endswith("_proj.weight")]:
            tensors[name] = ("F8_E4M3", tensors[name][1])
            tensors[name.removesuffix("weight") + suffix] = ("F32", (1, 1))
        del tensors["model.layers.0.self_attn.k_proj.weight"]

    [finding] = findings(tiny(tmp_path, fp8, config=config, shards=2))
    assert finding.code == "PL503" and "model.layers.0.self_attn.k_proj.weight" in finding.message


@pytest.mark.parametrize(
    "name", ["model.norm.scale", "model.layers.0.input_layernorm.scale", "model.embed_tokens.scale"]
)
def test_an_fp8_scale_beside_a_norm_or_an_embedding_is_not_quantization_data(tmp_path, name):
    """transformers' fp8 quantizer replaces linear layers only: a `.scale` beside a norm's
    vector or the token embedding is no block scale, so it is unknown (PL504)."""
    config = {**TINY, "quantization_config": {"quant_method": "fp8", "weight_block_size": [128, 128]}}
    [finding] = findings(tiny(tmp_path, lambda t: t.update({name: ("F32", (1, 1))}), config=config), "PL504")
    assert f"{name}: not a weight" in finding.message


@pytest.mark.parametrize("architectures", [-1, True, "LlamaForCausalLM", [{"a": 1}]])
def test_a_malformed_architectures_is_no_internal_error_beside_a_checkpoint(tmp_path, architectures):
    """The tensor names read `architectures` for the class: one that is not a list of names
    gives the family's default class instead of a TypeError."""
    assert codes(tiny(tmp_path, config={**TINY, "architectures": architectures})) == []


def test_a_scale_beside_a_weight_is_unknown_without_fp8(tmp_path):
    path = tiny(tmp_path, lambda t: t.update({"model.layers.0.mlp.up_proj.scale": ("F32", (1, 1))}))
    [finding] = findings(path, "PL504")
    assert "model.layers.0.mlp.up_proj.scale: not a weight" in finding.message


def test_t5_per_stack_embedding_copies_are_named(tmp_path):
    config = json.loads((HF / "t5" / "t5-small.json").read_text())
    config.update(num_layers=1, num_decoder_layers=1)

    def add(tensors):
        tensors["encoder.embed_tokens.weight"] = tensors["decoder.embed_tokens.weight"] = tensors["shared.weight"]

    [finding] = findings(tiny(tmp_path, add, config=config), "PL504")
    assert "copy of the tied token embedding" in finding.message and "(and 1 more of the kind)" in finding.message


def test_check_checkpoint_gives_the_checkpoint_findings_alone(tmp_path):
    from param_lint.checkpoint import check_checkpoint

    path = tiny(tmp_path, lambda t: t.pop("lm_head.weight"), shards=2)
    assert sorted(f.code for f in check_checkpoint(str(path))) == ["PL501", "PL502", "PL503"]


def test_a_bin_index_with_rotary_buffers_counts_them_in_total_size(tmp_path):
    """Llama-2's pytorch_model.bin.index.json lists each layer's inv_freq (float32, d_head/2)."""
    folder = tmp_path / "llama-2-style"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps(TINY))
    names = list(expected_tensors(TINY)) + [f"model.layers.{i}.self_attn.rotary_emb.inv_freq" for i in range(2)]
    total_size = TINY_PARAMS * 2 + 2 * (16 // 4 // 2) * 4
    document = {"metadata": {"total_size": total_size}, "weight_map": dict.fromkeys(names, "pytorch_model.bin")}
    (folder / "pytorch_model.bin.index.json").write_text(json.dumps(document, indent=2))
    [finding] = findings(folder / "config.json")
    assert (
        finding.code == "PL504"
        and "rotary inv_freq" in finding.message
        and "(and 1 more of the kind)" in finding.message
    )


def test_a_family_without_tensor_names_says_its_checkpoint_is_not_checked(tmp_path, monkeypatch):
    family = "gpt_oss"  # every family has names today: take one's away, as a family added later has none
    monkeypatch.delitem(NAMINGS, family)
    config = json.loads(next(iter(sorted((HF / family).glob("*.json")))).read_text())
    path = write_checkpoint(tmp_path / family, config, {"anything.weight": ("BF16", (2,))})
    [finding] = findings(path)
    assert finding.code == "PL507" and f"no tensor names for model_type {family}" in finding.message


def test_gemma4_kv_shared_layers_stored_keys_and_values_are_named(tmp_path):
    # transformers 5.24.0 builds no k/v projections on the last num_kv_shared_layers layers and
    # ignores them on load (_keys_to_ignore_on_load_unexpected)
    config = json.loads((HF.parent / "composite" / "gemma4" / "gemma-4-26b-a4b.json").read_text())
    config["text_config"].update(num_kv_shared_layers=10)

    def add(tensors):
        tensors["model.language_model.layers.29.self_attn.k_proj.weight"] = ("BF16", (1024, 2816))
        tensors["model.language_model.layers.29.self_attn.k_norm.weight"] = ("BF16", (512,))

    [finding] = findings(tiny(tmp_path, add, config=config), "PL504")
    assert "the keys/values of a KV-shared layer (num_kv_shared_layers)" in finding.message


@pytest.mark.parametrize(
    ("config", "section", "key", "default"),
    [
        ("composite_own/gemma4/small-audio.json", "audio_config", "num_hidden_layers", 12),
        ("composite_own/gemma4/small-audio.json", "vision_config", "num_hidden_layers", 16),
        ("encoders/segformer/segformer-b0-finetuned-ade-512-512.json", None, "decoder_hidden_size", 256),
    ],
)
def test_a_null_width_or_depth_is_the_class_default_for_the_buffers_too(tmp_path, config, section, key, default):
    # the reader takes null as the class default; the buffers a checkpoint holds (Gemma 4's
    # clipped-linear bounds and standardisation, SegFormer's BatchNorm statistics) follow it
    data = json.loads((HF.parent / config).read_text())
    where = data[section] if section else data
    if section:
        where.update(use_clipped_linears=True, standardize=section == "vision_config")
    where[key] = default
    tensors = expected_tensors(data)
    where[key] = None
    assert codes(write_checkpoint(tmp_path / "model", data, tensors)) == []


def fp4_experts(d_ff: int) -> dict:
    """A small DeepSeek-V4 config with FP4-packed experts (`expert_dtype: "fp4"`) and d_ff as given."""
    config = json.loads((HF / "deepseek_v4" / "deepseek-v4-flash.json").read_text())
    config.update(num_hidden_layers=2, hidden_size=16, moe_intermediate_size=d_ff, n_routed_experts=4)
    config.update(num_experts_per_tok=2, vocab_size=64, compress_ratios=[0, 0], num_hash_layers=0)
    return config


def packed(tensors: dict) -> None:
    """The experts' weights as FP4 packs them: int8, the input dimension halved (rounded down,
    as transformers 5.24.0's _alloc_expert_proj allocates it)."""
    for name, (_, shape) in list(tensors.items()):
        if ".experts." in name and len(shape) == 3:
            tensors[name] = ("I8", (*shape[:-1], shape[-1] // 2))


def test_fp4_packed_experts_pass_with_the_input_dimension_halved(tmp_path):
    assert findings(tiny(tmp_path, packed, config=fp4_experts(8)), "PL505") == []


def test_fp4_packed_experts_with_an_odd_input_dimension_are_PL505(tmp_path):
    """Two 4-bit values a byte cannot hold an odd d_ff: transformers 5.24.0 allocates
    down_proj (E, d_model, d_ff // 2), one value short a row, so no stored size is right."""
    [finding] = findings(tiny(tmp_path, packed, config=fp4_experts(7)), "PL505")
    assert "down_proj" in finding.message and "is (4, 16, 3) but the config implies (4, 16, 7)" in finding.message
    assert "an odd input dimension (7) cannot be packed two FP4 values a byte" in finding.message
