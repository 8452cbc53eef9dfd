"""Real published checkpoints, as their tensor listings record them, pass param-lint's check.

Each folder under published/ holds a listing of a real checkpoint (tensors.md: every tensor's
name, shape and dtype, a run of layers or experts written `0-61`) and the config.json published
with it (published/README.md says where each comes from). The test writes safetensors headers
with exactly those tensors over zero bytes, beside the config, and runs the checkpoint check:
no finding. This is what decides whether the on-disk layouts param-lint accepts (derived from
transformers' conversion code) are the ones people publish.
"""

from __future__ import annotations

import json
import re
from math import prod
from pathlib import Path

import pytest

from .build import write_checkpoint
from .test_checkpoint import findings

PUBLISHED = Path(__file__).parent / "published"
HF = Path(__file__).resolve().parents[1] / "hf"
DTYPES = {
    "bfloat16": "BF16",
    "float16": "F16",
    "float32": "F32",
    "float8_e4m3fn": "F8_E4M3",
    "float8_e8m0fnu": "F8_E8M0",
    "int8": "I8",
    "uint8": "U8",
    "int32": "I32",
    "int64": "I64",
}
ROW = re.compile(  # name, the number of layers a run stands for, shape, dtype
    r"^\| `([^`]+)`(?: \(×(\d+) (?:layers|blocks))?[^|]*\| `\[([\d, ]*)\]` \| `torch\.(\w+)`", re.MULTILINE
)
# Hybrid models' reports write a run of one kind of layer by its first and last: the
# linear-attention layers 0, 1, 2, 4 ... 38 of Qwen3.5 as `0-38` (×30). Which layers the run
# means is read from the config's layer_types: those of the one kind that many in the run.
RUN = re.compile(r"\.(\d+-\d+|\d+(?:-\d+)?(?:,(?:\.\.\.|\d+(?:-\d+)?))+)\.")


def numbers(run: str) -> list[int]:
    """`0-2` -> 0, 1, 2; `2,4,...,40,42` -> every other number from 2 to 42; `0-2,4-6` -> both runs."""
    out: list[int] = []
    items = run.split(",")
    for k, item in enumerate(items):
        if item == "...":
            step = out[-1] - out[-2]
            following = int(items[k + 1].split("-")[0])
            out.extend(range(out[-1] + step, following, step))
        else:
            first, _, last = item.partition("-")
            out.extend(range(int(first), int(last or first) + 1))
    return out


def expand(name: str, keep=None) -> list[str]:
    """`layers.0-2.experts.0-1.w` -> the six names it stands for; `keep(layer)` filters the first run."""
    run = RUN.search(name)
    if not run:
        return [name]
    wanted = [k for k in numbers(run[1]) if keep is None or keep(k)]
    return [n for k in wanted for n in expand(name.replace(run[0], f".{k}.", 1))]


def listing(folder: str, layer_types: list[str] | None = None) -> dict[str, tuple[str, tuple[int, ...]]]:
    """name -> (safetensors dtype, shape) for every tensor of the listing."""
    tensors: dict[str, tuple[str, tuple[int, ...]]] = {}
    for name, count, shape, dtype in ROW.findall((PUBLISHED / folder / "tensors.md").read_text()):
        dims = tuple(int(n) for n in shape.split(",")) if shape.strip() else ()
        keep = None
        run = RUN.search(name)
        layers = run and name[: run.start()].endswith(("layers", "blocks"))
        if count and layers and len(numbers(run[1])) != int(count):
            assert layer_types is not None, name
            span = [layer_types[k] for k in numbers(run[1])]
            [kind] = [kind for kind in set(span) if span.count(kind) == int(count)]
            keep = lambda k, kind=kind: layer_types[k] == kind  # noqa: E731
        names = expand(name, keep)
        for each in names:
            assert each not in tensors, each
            tensors[each] = (DTYPES[dtype], dims)
    return tensors


def stated(folder: str) -> tuple[int, int]:
    """(tensors, values) as the listing's header states them."""
    text = (PUBLISHED / folder / "tensors.md").read_text()
    count = re.search(r"\*\*权重张量数\*\*: ([\d,]+)", text)
    total = re.search(r"\*\*参数总量\*\*: ([\d,]+)", text)
    assert count and total
    return int(count[1].replace(",", "")), int(total[1].replace(",", ""))


LISTINGS = {  # folder -> the config it is checked with (published/<folder>/config.json by default)
    "minimax-m2.7": None,
    "deepseek-v3.2": None,
    "glm-5.1": HF / "configs" / "glm_moe_dsa" / "glm-5.1.json",
    "kimi-k2.5": HF / "composite" / "kimi_k25" / "kimi-k2.5.json",
    # the hub's config as tests/hf/configs holds it: `expert_dtype: fp4` (the listing's report
    # quotes an earlier revision without it, published/deepseek-v4-flash/config.json)
    "deepseek-v4-flash": HF / "configs" / "deepseek_v4" / "deepseek-v4-flash.json",
    "qwen3.5-35b-a3b": HF / "composite" / "qwen3_5_moe" / "qwen3.5-35b-a3b.json",
    "qwen3.5-0.8b-base": HF / "composite" / "qwen3_5" / "qwen3.5-0.8b.json",
    "gpt-oss-20b": None,
    "qwen3-next-80b-a3b-instruct": HF / "configs" / "qwen3_next" / "qwen3-next-80b-a3b-instruct.json",
    "deepseek-r1": HF / "configs" / "deepseek_v3" / "deepseek-r1.json",
    "qwen3-coder-30b-a3b-instruct": None,
    "qwen3-32b-awq": None,
    "llama-3.2-3b-instruct": None,
    "qwen2.5-72b-instruct": None,
    "deepseek-v2-lite-chat": None,
    # the hub's config (`expert_dtype: "fp4"`); the report quotes an earlier revision without it
    "deepseek-v4-pro": HF / "configs" / "deepseek_v4" / "deepseek-v4-pro.json",
    "gemma-4-31b-it": HF / "composite" / "gemma4" / "gemma-4-31b-it.json",
}
MTP = "a multi-token-prediction layer"
# The findings a listing is expected to give: the multi-token-prediction layers that the
# published files hold and transformers does not build are named, one PL504 warning.
EXPECTED = {
    "deepseek-v3.2": [("PL504", MTP)],
    "glm-5.1": [("PL504", MTP)],
    "deepseek-v4-flash": [("PL504", "a multi-token-prediction module")],
    "qwen3.5-35b-a3b": [("PL504", "a multi-token-prediction module")],
    "qwen3.5-0.8b-base": [("PL504", "a multi-token-prediction module")],
    "qwen3-next-80b-a3b-instruct": [("PL504", "a multi-token-prediction module")],
    "deepseek-r1": [("PL504", MTP)],
    "deepseek-v4-pro": [("PL504", "a multi-token-prediction module")],
}


def config_of(folder: str) -> dict:
    path = LISTINGS[folder] or PUBLISHED / folder / "config.json"
    return json.loads(Path(path).read_text())


def tensors_of(folder: str) -> dict[str, tuple[str, tuple[int, ...]]]:
    config = config_of(folder)
    return listing(folder, config.get("text_config", config).get("layer_types"))


@pytest.mark.parametrize("folder", sorted(LISTINGS))
def test_the_listing_is_read_whole(folder):
    tensors = tensors_of(folder)
    assert (len(tensors), sum(prod(shape) for _, shape in tensors.values())) == stated(folder)


@pytest.mark.parametrize("folder", sorted(LISTINGS))
def test_the_published_checkpoint_passes_the_check(tmp_path, folder):
    path = write_checkpoint(tmp_path / folder, config_of(folder), tensors_of(folder), shards=4)
    found = findings(path)
    expected = EXPECTED.get(folder, [])
    assert sorted(f.code for f in found) == sorted(code for code, _ in expected), [f.message for f in found]
    assert all(any(f.code == code and what in f.message for f in found) for code, what in expected)


@pytest.mark.parametrize("folder", ["deepseek-v4-flash", "deepseek-v4-pro"])
def test_deepseek_v4s_fp4_experts_need_the_configs_expert_dtype(tmp_path, folder):
    """The config revision the listing's report quotes lacks `expert_dtype`: transformers 5.24.0
    then builds fp8 experts (d_ff, d_model) and cannot load the int8 (d_ff, d_model / 2) ones."""
    config = json.loads((PUBLISHED / folder / "config.json").read_text())
    assert "expert_dtype" not in config and "expert_dtype" not in config["quantization_config"]
    path = write_checkpoint(tmp_path / "v4", config, tensors_of(folder), shards=4)
    found = [f for f in findings(path) if f.code == "PL505"]
    assert len(found) == 3 and all("ffn.experts." in f.message for f in found)
    rows, cols = config["moe_intermediate_size"], config["hidden_size"]
    assert f"is ({rows}, {cols // 2}) but the config implies ({rows}, {cols})" in "".join(f.message for f in found)


def test_deepseek_v4s_attention_norm_is_kv_norm_in_deepseeks_files_and_norm_in_transformers(tmp_path):
    """Both load to self_attn.kv_norm (conversion_mapping.py renames `.norm.` to `.kv_norm.`)."""
    tensors = listing("deepseek-v4-flash")
    for i in range(43):
        tensors[f"layers.{i}.attn.norm.weight"] = tensors.pop(f"layers.{i}.attn.kv_norm.weight")
    config = json.loads((HF / "configs" / "deepseek_v4" / "deepseek-v4-flash.json").read_text())
    path = write_checkpoint(tmp_path / "v4", config, tensors, shards=4)
    assert [f.code for f in findings(path)] == ["PL504"]  # the MTP module alone


def test_gpt_oss_mxfp4_blocks_stand_for_their_experts_and_are_checked_by_size(tmp_path):
    """gate_up_proj_blocks (E, 2·d_ff, d_model / 32, 16) holds two 4-bit values a byte."""
    tensors = tensors_of("gpt-oss-20b")
    tensors["model.layers.3.mlp.experts.down_proj_blocks"] = ("U8", (32, 2880, 45, 16))  # half the blocks
    path = write_checkpoint(tmp_path / "gpt-oss", config_of("gpt-oss-20b"), tensors, shards=2)
    [finding] = [f for f in findings(path) if f.code == "PL505"]
    assert "model.layers.3.mlp.experts.down_proj_blocks is (32, 2880, 45, 16)" in finding.message


def test_gpt_oss_mxfp4_scales_are_checked_by_size_too(tmp_path):
    """gate_up_proj_scales (E, 2·d_ff, d_model / 32): one scale per block of 32 values."""
    tensors = tensors_of("gpt-oss-20b")
    tensors["model.layers.3.mlp.experts.down_proj_scales"] = ("U8", (32, 2880, 45))  # half the scales
    path = write_checkpoint(tmp_path / "gpt-oss", config_of("gpt-oss-20b"), tensors, shards=2)
    [finding] = [f for f in findings(path) if f.code == "PL505"]
    assert "model.layers.3.mlp.experts.down_proj_scales is (32, 2880, 45)" in finding.message


@pytest.mark.parametrize("half", ["down_proj_blocks", "down_proj_scales"])
def test_gpt_oss_mxfp4_weight_needs_both_its_blocks_and_its_scales(tmp_path, half):
    """Either half alone does not hold the weight: the other missing, the expert weight is (PL503)."""
    tensors = tensors_of("gpt-oss-20b")
    del tensors[f"model.layers.3.mlp.experts.{half}"]
    path = write_checkpoint(tmp_path / "gpt-oss", config_of("gpt-oss-20b"), tensors, shards=2)
    [finding] = findings(path)
    assert (
        finding.code == "PL503"
        and "model.layers.3.mlp.experts.down_proj (32, 2880, 2880) is missing" in finding.message
    )


def test_gpt_oss_mxfp4_blocks_of_a_bias_are_not_quantization_data(tmp_path):
    """Mxfp4HfQuantizer packs the experts' two weight matrices only, never their biases."""
    tensors = tensors_of("gpt-oss-20b")
    tensors["model.layers.3.mlp.experts.down_proj_bias_blocks"] = ("U8", (32, 2880 // 32, 16))
    path = write_checkpoint(tmp_path / "gpt-oss", config_of("gpt-oss-20b"), tensors, shards=2)
    [finding] = [f for f in findings(path) if f.code == "PL504"]
    assert "model.layers.3.mlp.experts.down_proj_bias_blocks" in finding.message


NANO = PUBLISHED / "nemotron-3-nano-30b-a3b-nvfp4" / "census.md"


def nemotron_nano() -> dict[str, tuple[str, tuple[int, ...]]]:
    """NVIDIA-Nemotron-3-Nano-30B-A3B-NVFP4 as its header census gives it (census.md: a class
    per row, `L` a layer, `E` an expert), each NVFP4 weight (U8 [N, K/2]) at its unpacked shape
    [N, K] and its three scales left out: the BF16 release's tensors, by the NVFP4 one's names."""
    text = NANO.read_text()
    pattern = re.search(r"\| pattern \| `([ME*]+)` \|", text)[1]
    tensors = {
        "backbone.embeddings.weight": ("BF16", (131072, 2688)),
        "lm_head.weight": ("BF16", (131072, 2688)),
        "backbone.norm_f.weight": ("BF16", (2688,)),
    }
    for i, kind in enumerate(pattern):
        mixer = f"backbone.layers.{i}.mixer."
        tensors[f"backbone.layers.{i}.norm.weight"] = ("BF16", (2688,))
        if kind == "M":
            shapes = {"A_log": (64,), "D": (64,), "dt_bias": (64,), "conv1d.weight": (6144, 1, 4)}
            shapes.update({"conv1d.bias": (6144,), "norm.weight": (4096,)})
            shapes.update({"in_proj.weight": (10304, 2 * 1344), "out_proj.weight": (2688, 2 * 2048)})
        elif kind == "*":
            shapes = {"q_proj.weight": (4096, 2688), "o_proj.weight": (2688, 4096)}
            shapes.update({"k_proj.weight": (256, 2688), "v_proj.weight": (256, 2688)})
        else:
            shapes = {
                "shared_experts.up_proj.weight": (3712, 2 * 1344),
                "shared_experts.down_proj.weight": (2688, 2 * 1856),
            }
            for e in range(128):
                shapes[f"experts.{e}.up_proj.weight"] = (1856, 2 * 1344)
                shapes[f"experts.{e}.down_proj.weight"] = (2688, 2 * 928)
            tensors[mixer + "gate.weight"] = ("F32", (128, 2688))
            tensors[mixer + "gate.e_score_correction_bias"] = ("F32", (128,))
        tensors.update({mixer + name: ("BF16", shape) for name, shape in shapes.items()})
    return tensors


def test_nemotron_h_as_published_names_every_tensor_as_param_lint_does(tmp_path):
    tensors = nemotron_nano()
    nvfp4 = 17 * 2 + 23 * (128 * 2 + 2)  # the census's 5,968 NVFP4 matrices, three scales each
    assert nvfp4 == 5968 and len(tensors) + 3 * nvfp4 == 24147  # the census's header count
    config = json.loads((HF / "configs" / "nemotron_h" / "nemotron-3-nano-30b-a3b-bf16.json").read_text())
    assert config["hybrid_override_pattern"] in NANO.read_text()
    path = write_checkpoint(tmp_path / "nano", config, tensors, shards=4)
    assert [(f.code, f.message) for f in findings(path)] == []
