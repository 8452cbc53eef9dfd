"""Reference counts for dropless mixture-of-experts configs, with megablocks' own dMoE layer.

llm-foundry's `ffn_type: mb_dmoe` *is* `megablocks.layers.dmoe.dMoE`: this script builds its
`Arguments` as llm-foundry 0.22.0 does (`config_megablocks_moe_args` and `mb_setup_args`
in llmfoundry/models/utils/config_moe_args.py and llmfoundry/models/layers/ffn.py: the
file's `ffn_config` keys that `Arguments` takes, `ffn_hidden_size` = expansion_ratio x
d_model unless given, `bias` = not `no_bias`), instantiates the layer on the meta device
and puts it in place of the MLP of every block of the transformers model with MPT's layout
(GPT2Config: biases, LayerNorms with biases, learned positions, as
tools/framework_hf_reference.py has it). The total is llm-foundry's own rule
(`megablocks_n_total_params`, expert weights x moe_world_size 1: every parameter once).

GPT-NeoX's dropless MoE (megatron/model/moe.py, moe_mlp.py, router.py) does not install
offline (DeeperSpeed, CUDA kernels). Its layer is megablocks' SparseMLP copied: a
bias-free router Linear(hidden_size, moe_num_experts) and w1, w2 of (experts x width,
hidden_size), no bias ("Bias is currently not supported"), width `intermediate_size`, else
4 x hidden_size rounded up to 256. So its MoE layer is instantiated here as megablocks'
dMoE with `bias=False` and that width, and put in place of the MLP of the layers
`layer_number % moe_expert_interval == 0` (0-based, default interval 1) of the
transformers equivalent tools/make_neox_golden.py builds. The layer choice, the width rule
and the parameter layout are read from gpt-neox's source (commit 8ee67f4697ba,
megatron/neox_arguments/neox_args.py NeoXArgsMoE, megatron/model/transformer.py
ParallelTransformerLayer, megatron/model/moe_mlp.py ParallelGroupedMLP), not executed: the
output says so for each gpt-neox entry. megatron/model/moe.py itself was not readable at that
commit; every version of it read picks ParallelGroupedMLP for a non-gated activation (the
gated one, ParallelGroupedLLaMAMLP, is not measured here and param-lint does not count it).

megablocks imports two CUDA extensions at import time that building a layer never calls
(`megablocks_ops`, and `grouped_gemm` for the availability check of mlp_impl grouped);
they are stood in for by empty modules, and the output records that. Run:

    /work/scratch/venv-moe/bin/python tools/moe_reference.py > tests/frameworks/moe_golden.json

(venv-moe: torch==2.13.0, megablocks==0.10.0 and stanford-stk==0.7.1 with --no-deps,
triton, transformers==4.57.6.)
"""

from __future__ import annotations

import inspect
import json
import os
import sys
import types
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PARAM_LINT_SHARED", ROOT.parent / "shared")) / "framework-configs"
sys.path.insert(0, str(Path(__file__).resolve().parent))

FOUNDRY_FIXTURES = [
    "tests/frameworks/llm-foundry/mpt-tiny-dmoe.yaml",
    "tests/frameworks/llm-foundry/mpt-tiny-dmoe-glu.yaml",
]
FOUNDRY_SHARED = ["llm-foundry/testing-moe.yaml"]
NEOX_FIXTURES = [("tests/neox/dmoe-like.yml", 50257), ("tests/neox/dmoe-intermediate.yml", 50257)]
NEOX_SHARED = [("gpt-neox/125M-dmoe.yml", 50257)]  # GPT2BPETokenizer, the default: 50,257 tokens
STUBS = ("megablocks_ops", "grouped_gemm")


def stub_cuda_extensions() -> None:
    """Empty stand-ins for the kernels megablocks imports but never calls while building."""
    sys.modules.setdefault("megablocks_ops", types.ModuleType("megablocks_ops"))
    grouped_gemm = types.ModuleType("grouped_gemm")
    grouped_gemm.backend = types.SimpleNamespace()  # type: ignore[attr-defined]
    grouped_gemm.ops = types.SimpleNamespace()  # type: ignore[attr-defined]
    sys.modules.setdefault("grouped_gemm", grouped_gemm)


def dmoe(**arguments):
    """megablocks' dMoE with these Arguments, on the meta device."""
    import torch
    from megablocks.layers.arguments import Arguments
    from megablocks.layers.dmoe import dMoE

    return dMoE(Arguments(device=torch.device("meta"), **arguments))


def params(module) -> int:
    return sum(p.numel() for p in module.parameters())


def transformers_model(config):
    import torch
    from transformers import AutoModelForCausalLM

    with torch.device("meta"):
        return AutoModelForCausalLM.from_config(config)


def resolve(value, data):
    if isinstance(value, str) and value.startswith("${variables.") and value.endswith("}"):
        return data["variables"][value[len("${variables.") : -1]]
    return value


# --- llm-foundry: mb_dmoe ----------------------------------------------------------------------
def foundry(path: Path) -> dict:
    import transformers
    import yaml
    from megablocks.layers.arguments import Arguments

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    model = {k: resolve(v, data) for k, v in data["model"].items()}
    attn = model.get("attn_config", {})
    assert not model.get("no_bias", False) and model.get("learned_pos_emb", True)
    assert not attn.get("alibi") and not attn.get("rope"), "GPT-2's layout only"
    d_model, ratio = model["d_model"], model.get("expansion_ratio", 4)
    # config_megablocks_moe_args
    ffn = dict(model["ffn_config"])
    ffn.setdefault("fp16", False)
    ffn.setdefault("bf16", False)
    ffn["num_layers"] = model["n_layers"]
    assert ffn.pop("ffn_type") == "mb_dmoe"
    ffn.pop("fc_type", None)
    assert ffn.pop("ffn_act_fn", None) is None
    assert ffn.pop("moe_world_size") == 1
    ffn.setdefault("ffn_hidden_size", int(d_model * ratio))
    keep = inspect.signature(Arguments).parameters
    ffn = {k: v for k, v in ffn.items() if k in keep}
    # mb_setup_args: bias = not no_bias (MPTBlock), hidden_size = d_model
    ffn["bias"] = not model.get("no_bias", False)
    ffn["return_bias"] = False  # MPTConfig sets it for megablocks FFNs
    layer = dmoe(hidden_size=d_model, **ffn)
    config = transformers.GPT2Config(
        vocab_size=model["vocab_size"],
        n_embd=d_model,
        n_layer=model["n_layers"],
        n_head=model["n_heads"],
        n_inner=ffn["ffn_hidden_size"],
        n_positions=model["max_seq_len"],
        tie_word_embeddings=model.get("tie_word_embeddings", True),
    )
    net = transformers_model(config)
    for block in net.transformer.h:
        block.mlp = dmoe(hidden_size=d_model, **ffn)
    return {
        "params": params(net),
        "moe_layer_params": params(layer),
        "how": "GPT2Config on the meta device (MPT's layout), every block's MLP replaced by megablocks dMoE("
        + ", ".join(f"{k}={v!r}" for k, v in sorted(ffn.items()) if k not in ("fp16", "bf16"))
        + f", hidden_size={d_model}) as llm-foundry 0.22.0 builds mb_dmoe; instantiated",
    }


# --- GPT-NeoX: ParallelDroplessMoE -------------------------------------------------------------
def neox(path: Path, n_vocab: int) -> dict:
    from make_neox_golden import GATED, hf_config, neox_args

    args = neox_args(path)
    assert args.get("activation", "gelu") not in GATED, "the gated expert MLP is not measured here"
    hidden = args["hidden_size"]
    width = args.get("intermediate_size") or 256 * -(-4 * hidden // 256)
    interval = args.get("moe_expert_interval", 1)
    experts = args["moe_num_experts"]
    moe = dict(
        hidden_size=hidden,
        ffn_hidden_size=width,
        moe_num_experts=experts,
        moe_top_k=args.get("moe_top_k", 1),
        bias=False,
        mlp_type="mlp",
        mlp_impl="grouped",
    )
    net = transformers_model(hf_config(args, n_vocab))
    layers = net.gpt_neox.layers if hasattr(net, "gpt_neox") else net.model.layers
    moe_layers = [i for i in range(len(layers)) if i % interval == 0]
    for i in moe_layers:
        layers[i].mlp = dmoe(**moe)
    return {
        "params": params(net),
        "moe_layer_params": params(dmoe(**moe)),
        "n_vocab_declared": n_vocab,
        "moe_layers": moe_layers,
        "how": f"{type(net.config).__name__} on the meta device (tools/make_neox_golden.py), the MLP of layers "
        f"{moe_layers} replaced by megablocks dMoE(bias=False, ffn_hidden_size={width}, "
        f"moe_num_experts={experts}); which layers and the expert width are READ FROM gpt-neox's source "
        "(8ee67f4697ba: moe_expert_interval default 1, layer_number % interval == 0, intermediate_size "
        "else 4 x hidden_size rounded up to 256), not executed; megatron/model/moe.py at that commit was "
        "not readable here: every version read builds ParallelGroupedMLP (w1, w2) for a non-gated activation",
    }


def main() -> int:
    import torch
    import transformers

    stub_cuda_extensions()
    golden: dict = {
        "_versions": {
            "torch": torch.__version__,
            "megablocks": version("megablocks"),
            "stanford-stk": version("stanford-stk"),
            "transformers": transformers.__version__,
            "stubbed_cuda_extensions": list(STUBS),
            "llm-foundry": "0.22.0 (its MoE argument code read from the wheel and followed here)",
            "gpt-neox": "8ee67f4697ba (source read; its MoE layer counted as megablocks' dMoE it copies)",
        }
    }
    cases = [(rel, ROOT / rel, None) for rel in FOUNDRY_FIXTURES]
    cases += [(rel, ROOT / rel, vocab) for rel, vocab in NEOX_FIXTURES]
    if SHARED.is_dir():
        cases += [(f"shared:{rel}", SHARED / rel, None) for rel in FOUNDRY_SHARED]
        cases += [(f"shared:{rel}", SHARED / rel, vocab) for rel, vocab in NEOX_SHARED]
    for key, path, vocab in cases:
        entry = foundry(path) if vocab is None else neox(path, vocab)
        golden[key] = entry
        print(f"{key}: {entry['params']:,} ({entry['how']})", file=sys.stderr)
    json.dump(golden, sys.stdout, indent=1, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    raise SystemExit(main())
