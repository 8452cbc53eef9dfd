"""Reference counts for MaxText, llm-foundry, levanter and nanotron configs, from transformers.

These frameworks do not install offline here (JAX stacks, GPU-only kernels), but each
re-implements a transformers architecture. For every config this script writes the
transformers config that the framework's own code corresponds to, following that code,
not param-lint's (levanter's `to_hf_config`, nanotron's trainer padding, MaxText's
`get_individual_scales` and decoder blocks, llm-foundry's MPTConfig defaults), builds
the model on the meta device and counts `sum(p.numel() for p in model.parameters())`.
Where the framework has a parameter transformers keeps as a buffer (MaxText's trained
router bias, `routed_bias`), its size is added and said so in the output.

    /work/scratch/venv-hf4/bin/python tools/framework_hf_reference.py \
        --maxtext-base PATH/TO/maxtext/configs/base.yml CONFIG ...

A CONFIG's framework is the name of its folder (maxtext, llm-foundry, levanter, nanotron).
Output: tests/frameworks/hf_golden.json, keyed by "framework/file name".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
from importlib.metadata import version
from pathlib import Path

import torch
import transformers
import yaml

OUT = Path(__file__).resolve().parents[1] / "tests" / "frameworks" / "hf_golden.json"
# len(tokenizer) of the hub tokenizers the collected levanter files name (published sizes);
# the tests declare the same n_vocab for those files.
HUB_VOCAB = {
    "NousResearch/Llama-2-7b-hf": 32000,
    "google/gemma-2b": 256000,
    "mistralai/Mixtral-8x7B-v0.1": 32000,
    "gpt2": 50257,
    "allenai/OLMo-1B": 50280,
}
# levanter files whose data section is an !include not collected: the tokenizer it names.
INCLUDED_TOKENIZER = {"gpt2_small.yaml": "gpt2", "llama_1b_with_olmo_config.yaml": "allenai/OLMo-1B"}


def count(config: transformers.PretrainedConfig) -> int:
    with torch.device("meta"):
        model = transformers.AutoModelForCausalLM.from_config(config)
    return sum(p.numel() for p in model.parameters())


def load(path: Path) -> dict:
    text = re.sub(r"!include\s+(\S+)", r"'\1'", path.read_text(encoding="utf-8"))
    data = yaml.safe_load(text)
    for key, value in list(data.items()):
        if isinstance(value, str) and value.endswith((".yaml", ".yml")) and (path.parent / value).is_file():
            data[key] = yaml.safe_load((path.parent / value).read_text(encoding="utf-8"))
    return data


# --- MaxText: pyconfig's scaling, then the decoder block's layout --------------------------
def maxtext(path: Path, base: dict) -> tuple[int, str]:
    c = {**base, **load(path)}
    log2 = int(math.log2(c["global_parameter_scale"]))
    b, rem = divmod(log2, 3)
    heads = b + int(rem > 0)
    emb, mlp, layers = b + int(rem > 1), heads, b
    d = {
        "emb_dim": 2**emb * c["base_emb_dim"],
        "heads": 2**heads * c["base_num_query_heads"],
        "kv": 2**heads * c["base_num_kv_heads"],
        "mlp": 2**mlp * c["base_mlp_dim"],
        "moe_mlp": 2**mlp * c["base_moe_mlp_dim"],
        "layers": 2**layers * c["base_num_decoder_layers"],
    }
    block = c["decoder_block"]
    common = dict(
        vocab_size=c["vocab_size"],
        hidden_size=d["emb_dim"],
        num_hidden_layers=d["layers"],
        num_attention_heads=d["heads"],
        num_key_value_heads=d["kv"],
        head_dim=c["head_dim"],
        intermediate_size=d["mlp"],
        tie_word_embeddings=c["logits_via_embedding"],
    )
    if block in ("llama2", "mistral"):
        assert len(c["mlp_activations"]) == 2
        return count(transformers.LlamaConfig(**common)), "LlamaConfig"
    if block == "gemma":
        return count(transformers.GemmaConfig(**common)), "GemmaConfig"
    if block == "mixtral":
        moe = d["moe_mlp"] if d["moe_mlp"] > 0 else d["mlp"]
        config = transformers.MixtralConfig(
            **{**common, "intermediate_size": moe},
            num_local_experts=c["num_experts"],
            num_experts_per_tok=c["num_experts_per_tok"],
        )
        return count(config), "MixtralConfig"
    if block == "gpt3":
        config = transformers.GPT2Config(
            vocab_size=c["vocab_size"],
            n_embd=d["emb_dim"],
            n_layer=d["layers"],
            n_head=d["heads"],
            n_inner=d["mlp"],
            n_positions=c["trainable_position_size"],
            tie_word_embeddings=c["logits_via_embedding"],
        )
        assert d["heads"] * c["head_dim"] == d["emb_dim"]
        return count(config), "GPT2Config"
    if block == "deepseek":
        config = transformers.DeepseekV3Config(
            vocab_size=c["vocab_size"],
            hidden_size=d["emb_dim"],
            intermediate_size=d["mlp"],
            moe_intermediate_size=d["moe_mlp"],
            num_hidden_layers=d["layers"],
            num_attention_heads=d["heads"],
            num_key_value_heads=d["heads"],
            n_shared_experts=c["shared_experts"],
            n_routed_experts=c["num_experts"],
            num_experts_per_tok=c["num_experts_per_tok"],
            first_k_dense_replace=c["first_num_dense_layers"],
            q_lora_rank=c["q_lora_rank"] or None,
            kv_lora_rank=c["kv_lora_rank"],
            qk_rope_head_dim=c["qk_rope_head_dim"],
            qk_nope_head_dim=c["qk_nope_head_dim"],
            v_head_dim=c["v_head_dim"],
            tie_word_embeddings=c["logits_via_embedding"],
            n_group=1,
            topk_group=1,
        )
        total = count(config)
        note = "DeepseekV3Config"
        if c["routed_bias"]:  # MaxText trains the router bias; transformers keeps it as a buffer
            moe_layers = d["layers"] - c["first_num_dense_layers"]
            total += moe_layers * c["num_experts"]
            note += f" + routed_bias {moe_layers} x {c['num_experts']}"
        return total, note
    raise SystemExit(f"{path}: decoder_block {block} has no reference here")


# --- llm-foundry: MPTConfig's defaults --------------------------------------------------------
def llm_foundry(path: Path) -> tuple[int, str]:
    data = load(path)
    model = {
        k: (data["variables"][v[12:-1]] if isinstance(v, str) and v.startswith("${variables.") else v)
        for k, v in data["model"].items()
    }
    attn = model.get("attn_config", {})
    no_bias = model.get("no_bias", False)
    alibi = attn.get("alibi", False)
    d_ff = int(model.get("expansion_ratio", 4) * model["d_model"])
    if not no_bias and not alibi and not attn.get("rope") and model.get("learned_pos_emb", True):
        # biases, LayerNorms with biases, learned positions, a plain MLP, tied: GPT-2's layout
        config = transformers.GPT2Config(
            vocab_size=model["vocab_size"],
            n_embd=model["d_model"],
            n_layer=model["n_layers"],
            n_head=model["n_heads"],
            n_inner=d_ff,
            n_positions=model["max_seq_len"],
            tie_word_embeddings=model.get("tie_word_embeddings", True),
        )
        return count(config), "GPT2Config"
    if no_bias and alibi and d_ff == 4 * model["d_model"]:
        # no biases, bias-free LayerNorms, ALiBi, 4 x d_model MLP: transformers' MPT
        config = transformers.MptConfig(
            vocab_size=model["vocab_size"],
            d_model=model["d_model"],
            n_layers=model["n_layers"],
            n_heads=model["n_heads"],
            max_seq_len=model["max_seq_len"],
        )
        return count(config), "MptConfig"
    raise SystemExit(f"{path}: no transformers equivalent")


# --- levanter: each type's to_hf_config -------------------------------------------------------
LEVANTER_DEFAULTS = {
    "llama": dict(
        seq_len=2048,
        hidden_dim=4096,
        intermediate_dim=11008,
        num_layers=32,
        num_heads=32,
        num_kv_heads=32,
        tie_word_embeddings=False,
    ),
    "mistral": dict(
        seq_len=8192,
        hidden_dim=4096,
        intermediate_dim=14336,
        num_layers=32,
        num_heads=32,
        num_kv_heads=8,
        tie_word_embeddings=False,
    ),
    "mixtral": dict(
        seq_len=8192,
        hidden_dim=4096,
        intermediate_dim=14336,
        num_layers=32,
        num_heads=32,
        num_kv_heads=8,
        tie_word_embeddings=False,
        num_local_experts=8,
        num_experts_per_tok=2,
    ),
    "gemma": dict(seq_len=8192, hidden_dim=2048, intermediate_dim=16384, num_layers=18, num_heads=8, num_kv_heads=1),
    "gpt2": dict(seq_len=512, hidden_dim=768, num_layers=12, num_heads=12, mlp_scale=4),
}


def levanter_vocab(path: Path, data: dict) -> int:
    section = data.get("data")
    tokenizer = section.get("tokenizer") if isinstance(section, dict) else INCLUDED_TOKENIZER.get(path.name)
    local = path.parent / str(tokenizer)
    if local.exists():
        file = local / "tokenizer.json" if local.is_dir() else local
        size = len(transformers.PreTrainedTokenizerFast(tokenizer_file=str(file)))
    else:
        size = HUB_VOCAB[tokenizer]
    axis = (data.get("trainer") or {}).get("model_axis_size", 1)
    return -(-size // axis) * axis  # levanter rounds the vocabulary axis for partitioning


def levanter(path: Path) -> tuple[int, str]:
    data = load(path)
    kind = data["model"]["type"]
    m = {**LEVANTER_DEFAULTS[kind], **data["model"]}
    vocab = levanter_vocab(path, data)
    if kind == "gpt2":
        config = transformers.GPT2Config(
            vocab_size=vocab,
            n_positions=m["seq_len"],
            n_embd=m["hidden_dim"],
            n_layer=m["num_layers"],
            n_head=m["num_heads"],
            n_inner=m["mlp_scale"] * m["hidden_dim"],
        )
        return count(config), "GPT2Config"
    common = dict(
        vocab_size=vocab,
        max_position_embeddings=m["seq_len"],
        hidden_size=m["hidden_dim"],
        intermediate_size=m["intermediate_dim"],
        num_hidden_layers=m["num_layers"],
        num_attention_heads=m["num_heads"],
        num_key_value_heads=m["num_kv_heads"],
    )
    if kind == "gemma":
        return count(transformers.GemmaConfig(**common, head_dim=m["hidden_dim"] // m["num_heads"])), "GemmaConfig"
    common["tie_word_embeddings"] = m["tie_word_embeddings"]
    if kind == "mixtral":
        config = transformers.MixtralConfig(
            **common, num_local_experts=m["num_local_experts"], num_experts_per_tok=m["num_experts_per_tok"]
        )
        return count(config), "MixtralConfig"
    cls = transformers.MistralConfig if kind == "mistral" else transformers.LlamaConfig
    return count(cls(**common)), cls.__name__


# --- nanotron: its trainer pads the vocabulary ----------------------------------------------
def nanotron(path: Path) -> tuple[int, str]:
    data = load(path)
    mc = dict(data["model"]["model_config"])
    multiple = data["model"].get("make_vocab_size_divisible_by", 1) * (data.get("parallelism") or {}).get("tp", 1)
    vocab = -(-mc.get("vocab_size", 32000) // multiple) * multiple
    common = dict(
        vocab_size=vocab,
        hidden_size=mc.get("hidden_size", 4096),
        intermediate_size=mc.get("intermediate_size", 11008),
        num_hidden_layers=mc.get("num_hidden_layers", 32),
        num_attention_heads=mc.get("num_attention_heads", 32),
        num_key_value_heads=mc.get("num_key_value_heads") or mc.get("num_attention_heads", 32),
        max_position_embeddings=mc.get("max_position_embeddings", 2048),
        tie_word_embeddings=mc.get("tie_word_embeddings", False),
    )
    if mc.get("is_qwen2_config") and mc.get("attention_bias"):
        return count(transformers.Qwen2Config(**common)), "Qwen2Config"  # q/k/v biases, none on o
    assert not mc.get("moe_config")
    return count(transformers.LlamaConfig(**common)), "LlamaConfig"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--maxtext-base", type=Path, required=True)
    parser.add_argument("configs", nargs="+", type=Path)
    args = parser.parse_args()
    base = yaml.safe_load(args.maxtext_base.read_text(encoding="utf-8"))
    golden = {"versions": {"transformers": version("transformers"), "torch": version("torch")}, "files": {}}
    for path in args.configs:
        framework = path.parent.name
        if framework == "maxtext":
            total, how = maxtext(path, base)
        else:
            total, how = {"llm-foundry": llm_foundry, "levanter": levanter, "nanotron": nanotron}[framework](path)
        golden["files"][f"{framework}/{path.name}"] = {"params": total, "reference": how}
        print(f"{framework}/{path.name}: {total:,} ({how})")
    OUT.write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    main()
