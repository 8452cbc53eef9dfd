"""Reference counts for Megatron-family configs, from megatron-core's own GPTModel.

Run in a scratch virtualenv, never in param-lint's (torch is not a dependency):

    python3 -m venv /work/scratch/venv-megatron
    /work/scratch/venv-megatron/bin/pip install torch==2.13.0 'megatron-core==0.16.*' omegaconf pyyaml
    /work/scratch/venv-megatron/bin/python tools/make_megatron_golden.py > tests/megatron/golden.json

Each case is a config file (the fixtures in tests/megatron/, and the real files in
../shared/framework-configs/ when that folder is there) with the vocabulary size its
tokenizer has when the file names a tokenizer instead of a size. The file is read with
OmegaConf (NeMo's `multiply`/`sum` resolvers registered as NeMo registers them), mapped
onto megatron-core's TransformerConfig the way each framework does it (below, written
from the frameworks' sources, independently of param-lint's reader), and the model is
built on the meta device: megatron-core `GPTModel` with the local layer spec (the MoE
block spec for experts), a one-process gloo group, world size 1. The vocabulary is
padded with Megatron-LM's `_vocab_size_with_padding` rule at the file's tensor-parallel
size. The count is `sum(p.numel() for p in model.parameters())`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the shared/ folder beside the checkout (PARAM_LINT_SHARED names it from elsewhere, e.g. a worktree)
SHARED = Path(os.environ.get("PARAM_LINT_SHARED", ROOT.parent / "shared")) / "framework-configs"

# (path relative to the repo or to ../shared/framework-configs, the tokenizer's size when
# the file names a tokenizer instead of giving one)
FIXTURES = [
    ("tests/megatron/nemo1-gpt.yaml", 50257),
    ("tests/megatron/nemo1-llama.yaml", 32000),
    ("tests/megatron/nemo1-mixtral.yaml", 32000),
    ("tests/megatron/nemo2-context.yaml", 50257),
    ("tests/megatron/bridge-moe.yaml", None),
    ("tests/megatron/bridge-mla.yaml", None),
    ("tests/megatron/megatron-lm.yaml", None),
]
SHARED_CASES = [
    ("nemo/launcher-gpt3-175b.yaml", 50257),  # GPT2BPETokenizer: GPT-2's vocab.json
    ("nemo/launcher-llama2_7b.yaml", 32000),  # Llama-2 tokenizer.model
    ("nemo/launcher-llama3_1_70b.yaml", 128256),  # meta-llama/Meta-Llama-3.1-70B
    ("nemo/launcher-mixtral_8x7b.yaml", 32000),  # mistralai/Mixtral-8x7B-v0.1
    ("nemo/megatron_gpt_config.yaml", 50257),  # GPT2BPETokenizer
    ("nemo/megatron_llama_config.yaml", 32000),  # Llama-2 tokenizer.model
    ("nemo/nemo2-context-model.yaml", 50257),  # AutoTokenizer gpt2
    ("megatron-lm/yaml-cfg-gpt_config.yaml", 32000),  # GPTSentencePieceTokenizer (a 32,000 model)
]

# TransformerConfig fields that shape parameters; everything else is left at its default.
SHAPING = [
    "num_layers",
    "hidden_size",
    "num_attention_heads",
    "num_query_groups",
    "kv_channels",
    "ffn_hidden_size",
    "gated_linear_unit",
    "add_bias_linear",
    "add_qkv_bias",
    "normalization",
    "qk_layernorm",
    "num_moe_experts",
    "moe_ffn_hidden_size",
    "moe_router_topk",
    "moe_shared_expert_intermediate_size",
    "moe_shared_expert_gate",
    "moe_layer_freq",
    "multi_latent_attention",
    "q_lora_rank",
    "kv_lora_rank",
    "qk_head_dim",
    "qk_pos_emb_head_dim",
    "v_head_dim",
]


def pad(vocab: int, divisible_by: int, tp: int) -> int:
    """Megatron-LM `_vocab_size_with_padding` (NeMo's and NeMo 2's are the same rule)."""
    multiple = divisible_by * tp
    after = vocab
    while after % multiple:
        after += 1
    return after


def load(path: Path):
    from omegaconf import OmegaConf

    # NeMo registers these (nemo/core/config/hydra_runner.py, NeMo-Launcher main.py)
    for name, fn in {"multiply": lambda x, y: x * y, "sum": lambda x, y: x + y}.items():
        if not OmegaConf.has_resolver(name):
            OmegaConf.register_new_resolver(name, fn)
    return OmegaConf.to_container(OmegaConf.load(path), resolve=False)


def resolve(container: dict, *keys: str):
    from omegaconf import OmegaConf

    cfg = OmegaConf.create(container)
    node = OmegaConf.select(cfg, ".".join(keys), throw_on_missing=False)
    return node


def value(cfg, key, default=None):
    from omegaconf import OmegaConf

    try:
        got = OmegaConf.select(cfg, key, default=default)
    except Exception:  # unresolvable interpolation in an unrelated key
        return default
    return default if got is None else got


def spec(path: Path, tokenizer_vocab: int | None) -> tuple[dict, dict]:
    """(TransformerConfig kwargs, GPTModel kwargs) for a Megatron-family file."""
    from omegaconf import OmegaConf

    raw = OmegaConf.load(path)
    load(path)  # registers the resolvers
    if "language_model" in raw:  # Megatron-LM --yaml-cfg (yaml_arguments.py)
        lm = raw.language_model
        tc = {k: value(lm, k) for k in SHAPING if value(lm, k) is not None}
        if value(lm, "activation_func") == "swiglu":
            tc["gated_linear_unit"] = True
        if "ffn_hidden_size" not in tc:
            h = tc["hidden_size"]
            tc["ffn_hidden_size"] = int((4 * h * 2 / 3) / 64) * 64 if tc.get("gated_linear_unit") else 4 * h
        tp = value(raw, "model_parallel.tensor_model_parallel_size", 1)
        vocab = tokenizer_vocab
        if value(raw, "tokenizer_type") == "NullTokenizer":
            vocab = value(raw, "vocab_size") + 1
        kind = value(raw, "position_embedding_type", "learned_absolute")
        gpt = dict(
            vocab_size=pad(vocab, value(raw, "make_vocab_size_divisible_by", 128), tp),
            max_sequence_length=value(raw, "max_position_embeddings"),
            position_embedding_type=kind,
            share_embeddings_and_output_weights=not value(raw, "untie_embeddings_and_output_weights", False),
        )
        return tc, gpt
    if "config" in raw and "_target_" in raw:  # NeMo 2 context/model.yaml (GPTConfig.configure_model)
        c = raw.config
        tc = {k: value(c, k) for k in SHAPING if value(c, k) is not None}
        gpt = dict(
            vocab_size=pad(
                tokenizer_vocab,
                value(c, "make_vocab_size_divisible_by", 128),
                value(c, "tensor_model_parallel_size", 1),
            ),
            max_sequence_length=value(c, "seq_length"),
            position_embedding_type=value(c, "position_embedding_type", "learned_absolute"),
            share_embeddings_and_output_weights=value(c, "share_embeddings_and_output_weights", True),
        )
        return tc, gpt
    m = raw.model
    if "_target_" in m:  # Megatron-Bridge GPTModelProvider.provide
        tc = {k: value(m, k) for k in SHAPING if value(m, k) is not None}
        if isinstance(tc.get("moe_layer_freq"), (list, tuple)) or hasattr(tc.get("moe_layer_freq"), "__len__"):
            tc["moe_layer_freq"] = list(tc["moe_layer_freq"])
        vocab = value(m, "vocab_size", tokenizer_vocab)
        if value(m, "should_pad_vocab", False):
            vocab = pad(vocab, value(m, "make_vocab_size_divisible_by", 128), value(m, "tensor_model_parallel_size", 1))
        gpt = dict(
            vocab_size=vocab,
            max_sequence_length=value(m, "seq_length"),
            position_embedding_type=value(m, "position_embedding_type", "learned_absolute"),
            share_embeddings_and_output_weights=value(m, "share_embeddings_and_output_weights", True),
        )
        return tc, gpt
    # NeMo 1 (MegatronGPTModel.model_provider_func / build_transformer_config)
    tc = {k: value(m, k) for k in SHAPING if value(m, k) is not None}
    activation = value(m, "activation", "gelu")
    tc["gated_linear_unit"] = activation.endswith("glu")
    tc["add_bias_linear"] = value(m, "bias", True)
    tc["add_qkv_bias"] = value(m, "qkv_bias", False)
    norm = value(m, "normalization", "layernorm")
    tc["normalization"] = {"layernorm": "LayerNorm", "layernorm1p": "LayerNorm", "rmsnorm": "RMSNorm"}[norm]
    gpt = dict(
        vocab_size=pad(
            tokenizer_vocab, value(m, "make_vocab_size_divisible_by", 128), value(m, "tensor_model_parallel_size", 1)
        ),
        max_sequence_length=value(m, "max_position_embeddings"),
        position_embedding_type=value(m, "position_embedding_type", "learned_absolute"),
        share_embeddings_and_output_weights=value(m, "share_embeddings_and_output_weights", True),
    )
    return tc, gpt


def build(tc: dict, gpt: dict) -> tuple[int, int]:
    """Total and per-token active parameters of megatron-core's GPTModel."""
    import torch
    from megatron.core.models.gpt.gpt_layer_specs import get_gpt_decoder_block_spec, get_gpt_layer_local_spec
    from megatron.core.models.gpt.gpt_model import GPTModel
    from megatron.core.transformer.transformer_config import MLATransformerConfig, TransformerConfig

    cls, extra = TransformerConfig, {}
    if tc.get("multi_latent_attention"):
        # rope_type changes no parameter; "yarn" (the default) asks for a CUDA device
        cls, extra = MLATransformerConfig, {"rope_type": "rope"}
    config = cls(**tc, **extra, use_cpu_initialization=True, perform_initialization=False)
    if config.num_moe_experts:
        layer_spec = get_gpt_decoder_block_spec(config, use_transformer_engine=False)
    else:
        layer_spec = get_gpt_layer_local_spec(
            qk_layernorm=config.qk_layernorm, multi_latent_attention=config.multi_latent_attention
        )
    if config.multi_latent_attention:
        _parameterless_core_attention(layer_spec)
    if gpt["position_embedding_type"] != "learned_absolute":
        gpt = dict(gpt, max_sequence_length=gpt["max_sequence_length"] or 1)
    with torch.device("meta"):
        model = GPTModel(config, layer_spec, **gpt)
    total = sum(p.numel() for p in model.parameters())
    active = total
    if config.num_moe_experts:
        experts = sum(p.numel() for n, p in model.named_parameters() if ".experts." in n)
        active = total - experts + experts * config.moe_router_topk // config.num_moe_experts
    return total, active


def _parameterless_core_attention(spec) -> None:
    """MLA with the local spec: megatron-core 0.16's DotProductAttention does not take MLA's
    separate key/value widths (only Transformer Engine's does). Core attention, softmax(QK^T)V,
    has no parameters, so a parameterless stand-in leaves the count unchanged."""
    import torch

    class CoreAttention(torch.nn.Module):
        def __init__(self, *args, **kwargs):
            super().__init__()

    from megatron.core.transformer import multi_latent_attention

    if not isinstance(multi_latent_attention.TELinear, type):  # a stand-in when TE is not installed
        multi_latent_attention.HAVE_TE = False
    layers = getattr(spec, "layer_specs", None) or [spec]
    for layer in layers:
        attention = layer.submodules.self_attention
        attention.submodules.core_attention = CoreAttention


def main() -> int:
    import megatron.core
    import torch
    import torch.distributed as dist

    os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
    os.environ.setdefault("MASTER_PORT", "29533")
    dist.init_process_group("gloo", rank=0, world_size=1)
    from megatron.core import parallel_state

    parallel_state.initialize_model_parallel(1, 1)
    # MLA's rotary embedding asks for the CUDA device for its frequency table (a plain
    # tensor, not a parameter) without looking at use_cpu_initialization: point it at the CPU.
    torch.cuda.current_device = lambda: "cpu"
    cases = [(ROOT / rel, rel, vocab) for rel, vocab in FIXTURES]
    if SHARED.is_dir():
        cases += [(SHARED / rel, f"shared:{rel}", vocab) for rel, vocab in SHARED_CASES]
    golden = {
        "_versions": {
            "megatron-core": megatron.core.__version__,
            "torch": torch.__version__,
            "how": "megatron-core GPTModel, local layer spec (MoE block spec for experts), meta device, "
            "gloo world size 1: sum(p.numel() for p in model.parameters())",
        }
    }
    for path, key, vocab in cases:
        tc, gpt = spec(path, vocab)
        total, active = build(tc, gpt)
        entry = {"params": total, "n_vocab_declared": vocab, "padded_vocab": gpt["vocab_size"]}
        if active != total:
            entry["active_params"] = active
        golden[key] = entry
        print(f"{key}: {total:,}", file=sys.stderr)
    json.dump(golden, sys.stdout, indent=1, sort_keys=True)
    print()
    dist.destroy_process_group()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
