"""Reference counts for GPT-NeoX configs, from a faithful Hugging Face equivalent.

gpt-neox itself does not install offline (DeeperSpeed, CUDA kernels), so each config is
rebuilt as the transformers model that has exactly its layers, on the meta device:

- gelu MLP, rotary positions: `GPTNeoXConfig` (parallel residual = `gpt_j_residual`;
  transformers' GPT-NeoX keeps both LayerNorms and the MLP biases, as gpt-neox does);
- gated MLP (swiglu), RMSNorm: `LlamaConfig` with `attention_bias`/`mlp_bias` from
  `use_bias_in_attn_linear`/`use_bias_in_mlp` (gpt-neox's linear1 bias covers gate and up);
- learned positions, sequential residual, every bias, tied: `GPT2Config`.

The widths are computed here as gpt-neox's ParallelMLP computes them (written from
megatron/model/transformer.py, independently of param-lint's reader), the vocabulary padded
as gpt-neox pads it (make_vocab_size_divisible_by x model_parallel_size). Run:

    /work/scratch/venv-hf4/bin/python tools/make_neox_golden.py > tests/neox/golden.json
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PARAM_LINT_SHARED", ROOT.parent / "shared")) / "framework-configs"

FIXTURES = [
    ("tests/neox/pythia-like.yml", 50277),
    ("tests/neox/llama-like.yml", 32000),
    ("tests/neox/llama-mlp-bias.yml", 32000),
    ("tests/neox/gpt2-like.yml", 50257),
    ("tests/neox/merged-arch.yml", 50277),
]
SHARED_CASES = [
    ("gpt-neox/20B.yml", 50277),  # 20B_tokenizer.json
    ("gpt-neox/pythia-160M.yml", 50277),  # the same tokenizer
    ("gpt-neox/pythia-6-9B.yml", 50277),
    ("gpt-neox/llama2-7B.yml", 32000),  # Llama-2 tokenizer.model
    ("gpt-neox/llama2-70B.yml", 32000),
]
GATED = ("swiglu", "geglu", "reglu", "bilinear", "glu")


def neox_args(path: Path) -> dict:
    """The file's settings with `_` keys, merged with the fragments its directive names."""
    import yaml

    def load(p: Path) -> dict:
        return {k.replace("-", "_"): v for k, v in yaml.safe_load(p.read_text()).items()}

    args = load(path)
    directive = re.search(r"^#\s*gpt-neox-merge:\s*(.+?)\s*$", path.read_text(), re.MULTILINE)
    if directive:
        for name in directive.group(1).replace(",", " ").split():
            fragment = load(path.parent / name)
            assert not set(fragment) & set(args), "gpt-neox refuses duplicate keys"
            args.update(fragment)
    return args


def hf_config(args: dict, tokenizer_vocab: int):
    from transformers import GPT2Config, GPTNeoXConfig, LlamaConfig

    h = args["hidden_size"]
    mp = args.get("model_parallel_size", 1)
    multiple_vocab = args.get("make_vocab_size_divisible_by", 128) * mp
    vocab = -(-tokenizer_vocab // multiple_vocab) * multiple_vocab
    # ParallelMLP
    if args.get("intermediate_size"):
        ffn = args["intermediate_size"]
    elif args.get("expansion_factor"):
        ffn = int(args["expansion_factor"] * h)
    else:
        ffn = 4 * h
    gated = args.get("activation", "gelu") in GATED
    ffn_in = ffn
    if gated:
        ffn = int(ffn * 2 / 3)
        ffn_in = ffn // 2
    m = args.get("mlp_multiple_of", 1)
    ffn = int((2 * m) * ((ffn + 2 * m - 1) // (2 * m)))
    ffn_in = int(m * ((ffn_in + m - 1) // m))
    assert ffn == (2 * ffn_in if gated else ffn_in), "this MLP cannot run"
    tied = not args.get("no_weight_tying", False)
    attn_bias = args.get("use_bias_in_attn_linear", True)
    mlp_bias = args.get("use_bias_in_mlp", True)
    heads = args["num_attention_heads"]
    kv = args.get("num_kv_heads") or heads
    norm = args.get("norm", "layernorm")
    pos = args.get("pos_emb", "learned")
    if gated:
        assert norm == "rmsnorm" and pos == "rotary" and not args.get("gpt_j_residual", False)
        return LlamaConfig(
            vocab_size=vocab,
            hidden_size=h,
            intermediate_size=ffn_in,
            num_hidden_layers=args["num_layers"],
            num_attention_heads=heads,
            num_key_value_heads=kv,
            attention_bias=attn_bias,
            mlp_bias=mlp_bias,
            tie_word_embeddings=tied,
            max_position_embeddings=args.get("max_position_embeddings", 2048),
        )
    assert norm == "layernorm" and mlp_bias and kv == heads
    if pos == "rotary":
        return GPTNeoXConfig(
            vocab_size=vocab,
            hidden_size=h,
            intermediate_size=ffn_in,
            num_hidden_layers=args["num_layers"],
            num_attention_heads=heads,
            rotary_pct=args.get("rotary_pct", 1.0),
            use_parallel_residual=args.get("gpt_j_residual", False),
            tie_word_embeddings=tied,
            attention_bias=attn_bias,
            max_position_embeddings=args.get("max_position_embeddings", 2048),
        )
    assert pos == "learned" and attn_bias and tied and not args.get("gpt_j_residual", False)
    return GPT2Config(
        vocab_size=vocab,
        n_embd=h,
        n_inner=ffn_in,
        n_layer=args["num_layers"],
        n_head=heads,
        n_positions=args["max_position_embeddings"],
    )


def count(config) -> int:
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config)
    return sum(p.numel() for p in model.parameters())


def main() -> int:
    import torch
    import transformers

    cases = [(ROOT / rel, rel, vocab) for rel, vocab in FIXTURES]
    if SHARED.is_dir():
        cases += [(SHARED / rel, f"shared:{rel}", vocab) for rel, vocab in SHARED_CASES]
    golden: dict = {
        "_versions": {
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "how": "the Hugging Face equivalent (GPTNeoXConfig / LlamaConfig / GPT2Config) on the meta device: "
            "sum(p.numel() for p in AutoModelForCausalLM.from_config(cfg).parameters())",
        }
    }
    for path, key, vocab in cases:
        config = hf_config(neox_args(path), vocab)
        params = count(config)
        golden[key] = {"params": params, "n_vocab_declared": vocab, "hf": type(config).__name__}
        print(f"{key}: {params:,} ({type(config).__name__})", file=sys.stderr)
    json.dump(golden, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
