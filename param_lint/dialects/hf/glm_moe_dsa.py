"""glm_moe_dsa: GlmMoeDsaForCausalLM (Z.ai GLM-5, GLM-5.x), which transformers has from 5.x
only (4.57.6 has no such type). DeepSeek-V3's latent attention and experts (deepseek_v2.py:
q_lora_rank, kv_lora_rank, qk_nope/rope/v head widths, attention_bias on the down-projections
and W_O; n_routed_experts gated experts of moe_intermediate_size, n_shared_experts fused into
one shared MLP, a bias-free router whose correction bias is a buffer) with two per-layer lists:

- `mlp_layer_types`: "dense" (a gated MLP of intermediate_size) or "sparse" (the experts);
  without it the first first_k_dense_replace layers are dense.
- `indexer_types`: "full" layers have DSA's lightning indexer (index_n_heads heads of
  index_head_dim read from the query latent, so q_lora_rank must be set), "shared" layers
  reuse the previous one's choice and hold no indexer. Without the list, transformers derives
  it from index_topk_pattern ("F"/"S" per layer) or index_topk_freq and
  index_skip_topk_offset (layer i is full when max(i - offset + 1, 0) % freq == 0).

The multi-token-prediction layers (num_nextn_predict_layers) are in the published checkpoints
but transformers 5.24.0 does not build them: they are not counted."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...architecture import Architecture, Mixer
from .. import Reader
from .deepseek_v2 import DEEPSEEK_V2_DEFAULTS, deepseek_like
from .deepseek_v32 import lightning_indexer
from .ssm import per_layer, stack

DEFAULTS: dict[str, Any] = {  # GlmMoeDsaConfig (transformers 5.24.0)
    **DEEPSEEK_V2_DEFAULTS,
    "vocab_size": 154880,
    "hidden_size": 6144,
    "intermediate_size": 12288,
    "num_hidden_layers": 78,
    "num_attention_heads": 64,
    "num_key_value_heads": 64,
    "max_position_embeddings": 202752,
    "tie_word_embeddings": False,
    "n_routed_experts": 256,
    "num_experts_per_tok": 8,
    "moe_intermediate_size": 2048,
    "n_shared_experts": 1,
    "first_k_dense_replace": 3,
    "q_lora_rank": 2048,
    "kv_lora_rank": 512,
    "qk_rope_head_dim": 64,
    "qk_nope_head_dim": 192,
    "v_head_dim": 256,
    "index_n_heads": 32,
    "index_head_dim": 128,
}


def optional_per_layer(r: Reader, key: str, n_layer: int, kinds: tuple[str, ...]) -> list[str] | None:
    """ssm.per_layer's list, or None when the file has none (or null)."""
    return None if r.data.get(key) is None else per_layer(r, key, n_layer, kinds)


def indexer_types(r: Reader, n_layer: int) -> list[str]:
    """Which layers have their own indexer ("full") and which reuse one ("shared")."""
    types = optional_per_layer(r, "indexer_types", n_layer, ("full", "shared"))
    if types is not None:
        return types
    pattern = r.data.get("index_topk_pattern")
    if isinstance(pattern, str):
        if len(pattern) != n_layer or set(pattern) - {"F", "S"}:
            r.fail("index_topk_pattern", f"index_topk_pattern must be {n_layer} letters F (full) or S (shared)")
        return ["full" if char == "F" else "shared" for char in pattern]
    if pattern is not None:
        return optional_per_layer(r, "index_topk_pattern", n_layer, ("full", "shared")) or []
    freq = max(r.integer("index_topk_freq", 1, field="layers"), 1)
    offset = r.integer("index_skip_topk_offset", 2, field="layers")
    return ["full" if max(i - offset + 1, 0) % freq == 0 else "shared" for i in range(n_layer)]


def architecture(r: Reader) -> Architecture:
    d = DEFAULTS
    indexer = lightning_indexer(r, d, ("layers", "layers"))
    arch = deepseek_like(r, d, null=False)
    n_layer = arch.n_layer
    mlp = optional_per_layer(r, "mlp_layer_types", n_layer, ("dense", "sparse"))
    if mlp is None:
        mlp = ["dense" if i < arch.n_dense_layer else "sparse" for i in range(n_layer)]
    pattern = []
    for kind, index in zip(mlp, indexer_types(r, n_layer), strict=True):
        mixers: tuple[Mixer, ...] = ("attention", indexer) if index == "full" else ("attention",)
        pattern.append((mixers, "moe" if kind == "sparse" else "dense", 2))
    return replace(arch, layers=stack(pattern), n_dense_layer=mlp.count("dense"))
