"""deepseek_v4: DeepseekV4ForCausalLM (DeepSeek-V4-Flash, -Pro), which transformers has from
5.x only (4.57.6 has no such type).

Every layer: DeepSeek-V4's attention (architecture.CompressedAttention: num_attention_heads
x head_dim queries through a q_lora_rank latent, one shared key/value head, a grouped
low-rank output of o_groups x o_lora_rank, a sink per head), then a MoE of n_routed_experts
gated experts of moe_intermediate_size (num_experts_per_tok per token, no biases) beside one
shared gated MLP of the same width (mlp_bias; n_shared_experts is not read); two RMSNorms.
Each layer's attention is "sliding_attention", "compressed_sparse_attention" (a compressor
twice head_dim wide with a lightning indexer of index_n_heads x index_head_dim) or
"heavily_compressed_attention" (a compressor head_dim wide), as `layer_types` says, else
the legacy `compress_ratios` (0, 4, 128 per layer; the published list has one more entry,
for the MTP layer, which transformers drops), else transformers' default pattern. Hash-routed
layers (`mlp_layer_types`, `num_hash_layers`) hold the same parameters as the others (their
token-to-expert table is a buffer). Hyper-connections (`hc_mult` residual streams) add mixing
weights around every attention and MoE and a head before the final norm.

The multi-token-prediction layer (num_nextn_predict_layers) is in the published checkpoints
but transformers 5.24.0 does not build it: not counted."""

from __future__ import annotations

from typing import Any

from ...architecture import Architecture, CompressedAttention, Mixer
from .. import Reader
from .common import read_int, routed_experts
from .ssm import layer_types, stack

DEFAULTS: dict[str, Any] = {  # DeepseekV4Config (transformers 5.24.0)
    "vocab_size": 129280,
    "hidden_size": 4096,
    "moe_intermediate_size": 2048,
    "num_hidden_layers": 43,
    "num_attention_heads": 64,
    "head_dim": 512,
    "q_lora_rank": 1024,
    "n_routed_experts": 256,
    "num_experts_per_tok": 6,
    "o_groups": 8,
    "o_lora_rank": 1024,
    "index_n_heads": 64,
    "index_head_dim": 128,
    "hc_mult": 4,
    "max_position_embeddings": 1048576,
}
KINDS = ("sliding_attention", "compressed_sparse_attention", "heavily_compressed_attention")
RATIO_KINDS = {0: KINDS[0], 4: KINDS[1], 128: KINDS[2]}
EXPERT_KEYS = {
    "n_expert": ("n_routed_experts", "num_local_experts"),
    "n_expert_per_token": "num_experts_per_tok",
    "d_ff_expert": ("moe_intermediate_size", "intermediate_size"),
}


def attention_types(r: Reader, n_layer: int) -> list[str]:
    """Each layer's attention kind: layer_types, else compress_ratios, else the default pattern."""
    if r.data.get("layer_types") is not None:
        return layer_types(r, n_layer, KINDS)
    if r.data.get("compress_ratios") is not None:
        ratios = r.sequence("compress_ratios", field="layers")
        for index, ratio in enumerate(ratios):
            if isinstance(ratio, bool) or not isinstance(ratio, int) or ratio not in RATIO_KINDS:
                r.fail("compress_ratios", f"compress_ratios[{index}] is {ratio!r}; expected 0, 4 or 128")
        if len(ratios) < n_layer:
            r.fail("compress_ratios", f"compress_ratios lists {len(ratios)} layers but num_hidden_layers is {n_layer}")
        return [RATIO_KINDS[ratio] for ratio in ratios[:n_layer]]  # a trailing entry is the MTP layer's
    r.note("layers", "compress_ratios")
    return [KINDS[2]] * min(n_layer, 2) + [KINDS[1] if i % 2 else KINDS[2] for i in range(max(n_layer - 2, 0))]


def compress_rates(r: Reader) -> dict[str, int]:
    """The compression rate of each compressed kind (compress_rates, or the legacy keys)."""
    rates = {KINDS[1]: 4, KINDS[2]: 128}
    if r.data.get("compress_rates") is not None:
        given = r.mapping("compress_rates")
        for kind in rates:
            if given.has(kind):
                rates[kind] = given.integer(kind, field="layers", minimum=1)
    for key, kind in (("compress_rate_csa", KINDS[1]), ("compress_rate_hca", KINDS[2])):
        if r.data.get(key) is not None:
            rates[kind] = r.integer(key, field="layers", minimum=1)
    return rates


def architecture(r: Reader) -> Architecture:
    d = DEFAULTS
    d_model = r.integer("hidden_size", d["hidden_size"], field="d_model", minimum=1)
    n_layer = r.integer("num_hidden_layers", d["num_hidden_layers"], field="n_layer", minimum=1)
    n_head = r.integer("num_attention_heads", d["num_attention_heads"], field="n_head", minimum=1)
    d_head = r.integer("head_dim", d["head_dim"], field="d_head", minimum=1)
    o_groups = r.integer("o_groups", d["o_groups"], field="layers", minimum=1)
    if (n_head * d_head) % o_groups:
        r.fail("o_groups", f"o_groups ({o_groups}) does not divide num_attention_heads x head_dim ({n_head * d_head})")
    rates = compress_rates(r)
    common = {
        "n_head": n_head,
        "d_head": d_head,
        "q_lora_rank": r.integer("q_lora_rank", d["q_lora_rank"], field="layers", minimum=1),
        "o_groups": o_groups,
        "o_lora_rank": r.integer("o_lora_rank", d["o_lora_rank"], field="layers", minimum=1),
    }
    index = {
        "index_n_head": r.integer("index_n_heads", d["index_n_heads"], field="layers", minimum=1),
        "d_index_head": r.integer("index_head_dim", d["index_head_dim"], field="layers", minimum=1),
    }
    attention: dict[str, Mixer] = {
        KINDS[0]: CompressedAttention(**common),
        KINDS[1]: CompressedAttention(**common, compress_rate=rates[KINDS[1]], sparse=True, **index),
        KINDS[2]: CompressedAttention(**common, compress_rate=rates[KINDS[2]]),
    }
    experts = routed_experts(r, EXPERT_KEYS, d, null=False)
    return Architecture(
        n_vocab=r.integer("vocab_size", d["vocab_size"], field="n_vocab", minimum=1),
        n_layer=n_layer,
        d_model=d_model,
        n_head=n_head,
        d_head=d_head,
        n_kv_head=1,
        d_ff=experts["d_ff_expert"],
        n_context=read_int(r, "max_position_embeddings", d["max_position_embeddings"], "n_context"),
        position_embedding="rotary",
        tie_embeddings=r.boolean("tie_word_embeddings", False, field="tie_embeddings"),
        qkv_bias=False,
        out_bias=False,
        mlp="gated",
        mlp_bias=r.boolean("mlp_bias", False, field="mlp_bias"),
        norm="rmsnorm",
        **experts,
        d_ff_shared=experts["d_ff_expert"],
        expert_bias="none",
        hc_mult=r.integer("hc_mult", d["hc_mult"], field="hc_mult", minimum=1),
        layers=stack([((attention[kind],), "moe", 2) for kind in attention_types(r, n_layer)]),
    )
