"""A MoE checkpoint on disk holds its experts one per expert; transformers 5 stacks them on load.

For the model types only transformers 5 has, tests/hf/tensor_names.json records the layout
in memory (`mlp.experts.gate_up_proj`, (n_expert, 2·d_ff, d_model)); published checkpoints
mostly hold what transformers 5.24.0's conversion_mapping.py converts from
(`mlp.experts.{e}.gate_proj.weight`, (d_ff, d_model) ...): test_published_listings.py checks
real ones (Qwen3.5-35B-A3B holds the in-memory layout). tests/hf/saved_names.json
(tools/make_saved_names.py: transformers' own revert_weight_conversion on the meta model)
records that layout; param-lint accepts both. Each checkpoint here is written from the
in-memory names by the conversion reversed, as written out below per family.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import param_lint
from param_lint.checkpoint.names import NAMINGS
from param_lint.checkpoint.names import expected_tensors as names_for
from param_lint.dialects import read
from param_lint.document import Document
from param_lint.parts import count_model

from .build import write_checkpoint
from .test_checkpoint import findings

HF = Path(__file__).resolve().parents[1] / "hf"
SAVED = {k: v for k, v in json.loads((HF / "saved_names.json").read_text()).items() if k != "_meta"}
CONFIGS = {
    "deepseek_v32": HF / "configs" / "deepseek_v32" / "deepseek-v3.2-exp.json",
    "glm_moe_dsa": HF / "configs" / "glm_moe_dsa" / "glm-5.2.json",
    "minimax_m2": HF / "configs" / "minimax_m2" / "minimax-m2.5-nvfp4.json",
    "nemotron_h": HF / "configs" / "nemotron_h" / "nemotron-3-nano-30b-a3b-bf16.json",
    "qwen3_5_moe": HF / "composite" / "qwen3_5_moe" / "qwen3.5-35b-a3b.json",
    "kimi_k25": HF / "composite" / "kimi_k25" / "kimi-k2.5-nvfp4.json",
    "deepseek_v4": HF / "configs" / "deepseek_v4" / "deepseek-v4-flash.json",
}
# (gate, up, down) module names of one expert on disk, per family (conversion_mapping.py:
# qwen2_moe's for the DeepSeek and Qwen families, mixtral's for MiniMax, nemotron_h's).
EXPERT = {
    "minimax_m2": ("w1", "w3", "w2"),
    "nemotron_h": ("", "up_proj", "down_proj"),
    "deepseek_v4": ("w1", "w3", "w2"),
}
# Whole-name renames on disk, in memory -> on disk (the WeightRenamings reversed).
PREFIXES = {
    "nemotron_h": ((r"^model\.", "backbone."),),
    "minimax_m2": ((r"\.mlp\.", ".block_sparse_moe."),),
    "deepseek_v4": (  # conversion_mapping.py's deepseek_v4 renames, reversed
        (r"^model\.", ""),
        (r"^embed_tokens\.", "embed."),
        (r"^lm_head\.", "head."),
        (r"^hc_head\.hc_(fn|base|scale)$", r"hc_head_\1"),
        (r"\.input_layernorm\.", ".attn_norm."),
        (r"\.post_attention_layernorm\.", ".ffn_norm."),
        (r"\.(attn|ffn)_hc\.(fn|base|scale)$", r".hc_\1_\2"),
        (r"\.self_attn\.sinks$", ".attn.attn_sink"),
        (r"\.self_attn\.compressor\.indexer\.scorer\.weights_proj\.", ".attn.indexer.weights_proj."),
        (r"\.self_attn\.compressor\.indexer\.q_b_proj\.", ".attn.indexer.wq_b."),
        (r"\.self_attn\.compressor\.indexer\.", ".attn.indexer.compressor."),
        (r"\.self_attn\.", ".attn."),
        (r"\.kv_norm\.", ".norm."),
        (r"\.position_bias$", ".ape"),
        (r"\.q_a_proj\.", ".wq_a."),
        (r"\.q_b_proj\.", ".wq_b."),
        (r"\.kv_proj\.", ".wkv."),
        (r"\.o_a_proj\.", ".wo_a."),
        (r"\.o_b_proj\.", ".wo_b."),
        (r"\.q_a_norm\.", ".q_norm."),
        (r"\.mlp\.shared_experts\.gate_proj\.", ".ffn.shared_experts.w1."),
        (r"\.mlp\.shared_experts\.down_proj\.", ".ffn.shared_experts.w2."),
        (r"\.mlp\.shared_experts\.up_proj\.", ".ffn.shared_experts.w3."),
        (r"\.gate_proj\.", ".wgate."),
        (r"\.mlp\.gate\.e_score_correction_bias$", ".ffn.gate.bias"),
        (r"\.mlp\.", ".ffn."),
    ),
    "kimi_k25": (
        (r"^model\.language_model\.", "language_model.model."),
        (r"^lm_head\.", "language_model.lm_head."),
        (r"^model\.vision_tower\.layers\.(\d+)\.attn\.proj\.", r"vision_tower.encoder.blocks.\1.wo."),
        (r"^model\.vision_tower\.layers\.(\d+)\.mlp\.fc1\.", r"vision_tower.encoder.blocks.\1.mlp.fc0."),
        (r"^model\.vision_tower\.layers\.(\d+)\.mlp\.fc2\.", r"vision_tower.encoder.blocks.\1.mlp.fc1."),
        (r"^model\.vision_tower\.layers\.(\d+)\.norm1\.", r"vision_tower.encoder.blocks.\1.norm0."),
        (r"^model\.vision_tower\.layers\.(\d+)\.norm2\.", r"vision_tower.encoder.blocks.\1.norm1."),
        (r"^model\.vision_tower\.final_layernorm\.", "vision_tower.encoder.final_layernorm."),
        (
            r"^model\.vision_tower\.patch_embed\.pos_emb\.position_embeddings$",
            "vision_tower.patch_embed.pos_emb.weight",
        ),
        (r"^model\.mm_projector\.in_proj\.", "mm_projector.proj.0."),
        (r"^model\.mm_projector\.out_proj\.", "mm_projector.proj.2."),
        (r"^model\.", ""),  # transformers adds its base model prefix on load
    ),
}


def small(family: str) -> dict:
    """The published config with 8 routed experts (a checkpoint of a few thousand tensors), unquantized."""
    data = json.loads(CONFIGS[family].read_text())
    data.pop("quantization_config", None)
    data["torch_dtype"] = "bfloat16"
    text = data.get("text_config", data)
    text.pop("quantization_config", None)
    for key in ("n_routed_experts", "num_experts", "num_local_experts"):
        if key in text:
            text[key] = 8
    text["num_experts_per_tok"] = min(text.get("num_experts_per_tok", 2), 4)
    return data


def in_memory(data: dict):
    config, problems = read(Document("config.json", data))
    assert config is not None, problems
    breakdown = count_model(config.architecture, config.parts)
    return config.family, names_for(config.family, config.architecture, breakdown, data, config.parts)


def on_disk(family: str, data: dict) -> dict[str, tuple[str, tuple[int, ...]]]:
    """The checkpoint save_pretrained writes: stacked experts split per expert (gate_up_proj's
    first half is the gate), q, k and v fused (Kimi's wqkv), names renamed back; the router's
    score-correction buffers with them, as the published checkpoints hold them."""
    _, expected = in_memory(data)
    gate, up, down = EXPERT.get(family, ("gate_proj", "up_proj", "down_proj"))
    out: dict[str, tuple[int, ...]] = {}
    for name, tensor in {**expected.tensors, **expected.buffers}.items():
        shape = tensor.shape
        stacked = re.match(r"(.*\.experts\.)(gate_up_proj|up_proj|down_proj)$", name)
        if stacked:
            prefix, which = stacked.groups()
            for e in range(shape[0]):
                if which == "gate_up_proj":
                    half = (shape[1] // 2, shape[2])
                    out[f"{prefix}{e}.{gate}.weight"] = half
                    out[f"{prefix}{e}.{up}.weight"] = half
                else:
                    out[f"{prefix}{e}.{up if which == 'up_proj' else down}.weight"] = shape[1:]
            continue
        fused = re.match(r"(model\.vision_tower\.layers\.\d+\.)attn\.([qkv])_proj\.(weight|bias)$", name)
        if family == "kimi_k25" and fused:
            block, which, kind = fused.groups()
            key = f"{block.replace('model.vision_tower.layers.', 'vision_tower.encoder.blocks.')}wqkv.{kind}"
            rows = out.get(key, (0,))[0] + shape[0]
            out[key] = (rows, *shape[1:])
            continue
        out[name] = shape
    renamed = {}
    for name, shape in out.items():
        for pattern, replacement in PREFIXES.get(family, ()):
            name = re.sub(pattern, replacement, name)
        renamed[name] = ("BF16", shape)
    return renamed


def write(tmp_path: Path, family: str, change=None) -> Path:
    data = small(family)
    tensors = on_disk(family, data)
    if change:
        change(tensors)
    total = param_lint.count(data).total
    return write_checkpoint(tmp_path / family, data, tensors, shards=2, total_parameters=total)


@pytest.mark.parametrize("family", sorted(CONFIGS))
def test_a_checkpoint_with_the_experts_one_per_expert_passes(tmp_path, family):
    path = write(tmp_path, family)
    assert any(
        ".experts.3." in name
        for name in json.loads((path.parent / "model.safetensors.index.json").read_text())["weight_map"]
    )
    assert findings(path) == []


@pytest.mark.parametrize("family", sorted(CONFIGS))
def test_one_expert_of_the_wrong_shape_is_one_PL505(tmp_path, family):
    def change(tensors):
        name = next(name for name in tensors if re.search(r"\.experts\.5\.(down_proj|w2)\.weight$", name))
        rows, cols = tensors[name][1]
        tensors[name] = ("BF16", (rows, cols + 1))
        change.name = name

    path = write(tmp_path, family, change)
    found = findings(path, "PL505")
    assert [f.code for f in found] == ["PL505"], found
    assert change.name in found[0].message


def test_kimis_vision_tower_with_its_fused_wqkv_on_disk_passes_and_a_wrong_one_fails(tmp_path):
    tensors = on_disk("kimi_k25", small("kimi_k25"))
    assert tensors["vision_tower.encoder.blocks.0.wqkv.weight"][1] == (3 * 1152, 1152)
    path = write(
        tmp_path, "kimi_k25", lambda t: t.update({"vision_tower.encoder.blocks.2.wqkv.weight": ("BF16", (3456, 1153))})
    )
    found = findings(path, "PL505", "PL301")
    assert [f.code for f in found] == ["PL505"], found
    assert "vision_tower.encoder.blocks.2.wqkv.weight" in found[0].message


def test_the_in_memory_layout_is_still_accepted(tmp_path):
    data = small("deepseek_v32")
    _, expected = in_memory(data)
    tensors = {name: ("BF16", tensor.shape) for name, tensor in expected.tensors.items()}
    assert "model.layers.3.mlp.experts.gate_up_proj" in tensors
    path = write_checkpoint(tmp_path / "m", data, tensors, shards=2, total_parameters=param_lint.count(data).total)
    assert findings(path) == []


def expert_patterns(patterns: dict) -> dict[str, list]:
    """Per-expert patterns keyed from `experts.{}.` on (the prefixes differ between layouts)."""
    return {p[p.index("experts.{}.") :]: v for p, v in patterns.items() if "experts.{}." in p}


def collapsed(tensors) -> dict[str, list]:
    grouped: dict[str, dict[str, int]] = {}
    for name, tensor in tensors.items():
        counts = grouped.setdefault(re.sub(r"(?<=\.)\d+(?=\.)", "{}", name), {})
        counts[json.dumps(list(tensor.shape))] = counts.get(json.dumps(list(tensor.shape)), 0) + 1
    return {p: [[json.loads(s), n] for s, n in sorted(c.items())] for p, c in grouped.items()}


@pytest.mark.parametrize("key", sorted(k for k, v in SAVED.items() if NAMINGS[Path(v["config"]).parent.name].saved))
def test_the_per_expert_names_and_shapes_are_those_transformers_saves(key):
    entry = SAVED[key]
    path = HF / "configs" / entry["config"] if (HF / "configs" / entry["config"]).exists() else HF / entry["config"]
    data = {**json.loads(path.read_text()), **entry["overrides"]}
    config, problems = read(Document(entry["config"], data))
    assert config is not None, problems
    breakdown = count_model(config.architecture, config.parts)
    saved = names_for(config.family, config.architecture, breakdown, data, config.parts, saved=True)
    assert expert_patterns(collapsed(saved.tensors)) == expert_patterns(entry["patterns"])


def test_every_family_with_an_on_disk_layout_has_its_experts_recorded():
    recorded = {Path(v["config"]).parent.name for v in SAVED.values() if expert_patterns(v["patterns"])}
    assert {family for family in CONFIGS} <= recorded


def test_kimis_saved_vision_blocks_are_those_transformers_saves():
    entry = SAVED["composite/kimi_k25/kimi-k2.5-nvfp4.json"]
    data = json.loads((HF / entry["config"]).read_text())
    config, _ = read(Document(entry["config"], data))
    breakdown = count_model(config.architecture, config.parts)
    saved = names_for(config.family, config.architecture, breakdown, data, config.parts, saved=True)
    blocks = {p: v for p, v in entry["patterns"].items() if p.startswith("vision_tower.encoder.blocks.")}
    assert "vision_tower.encoder.blocks.{}.wqkv.weight" in blocks
    assert {p: v for p, v in collapsed(saved.tensors).items() if p.startswith("vision_tower.encoder.blocks.")} == blocks


def test_deepseek_v4s_saved_layers_are_those_transformers_saves():
    """Every per-layer name and shape (transformers' reversal keeps `model.`, which DeepSeek's
    own files and transformers' load, by its base-model prefix, do without)."""
    entry = SAVED["deepseek_v4/deepseek-v4-flash.json"]
    data = json.loads((HF / "configs" / entry["config"]).read_text())
    config, _ = read(Document(entry["config"], data))
    breakdown = count_model(config.architecture, config.parts)
    saved = names_for(config.family, config.architecture, breakdown, data, config.parts, saved=True)
    buffers = (".ffn.gate.bias", ".ffn.gate.tid2eid")  # the router's buffers, renamed on load
    recorded = {
        p.removeprefix("model."): v
        for p, v in entry["patterns"].items()
        if p.startswith("model.layers.") and not p.endswith(buffers)
    }
    assert "layers.{}.attn.indexer.compressor.wkv.weight" in recorded
    assert {p: v for p, v in collapsed(saved.tensors).items() if p.startswith("layers.")} == recorded


def test_kimis_patch_embedding_is_accepted_under_the_encoder_too(tmp_path):
    """Where transformers' reversal writes it; its load renames it to the same parameter."""

    def move(tensors):
        for kind in ("weight", "bias"):
            tensors[f"vision_tower.encoder.patch_embed.proj.{kind}"] = tensors.pop(
                f"vision_tower.patch_embed.proj.{kind}"
            )

    assert findings(write(tmp_path, "kimi_k25", move)) == []


def test_every_entry_recorded_from_transformers_5_has_its_saved_layout_recorded() -> None:
    # make_saved_names.py covers exactly these; a merge that adds one must regenerate saved_names.json
    recorded = json.loads((HF / "tensor_names.json").read_text())
    from_5 = {key for key, entry in recorded.items() if key != "_meta" and entry.get("transformers") == "5.24.0"}
    assert set(SAVED) == from_5
