"""Readers shared by Hugging Face families built like Llama (most decoder-only models)."""

from __future__ import annotations

from typing import Any

from ...architecture import Architecture
from .. import Reader


def llama_like(r: Reader, **overrides: Any) -> Architecture:
    """A Llama-style decoder: rotary positions, RMSNorm, gated MLP, optional GQA and head_dim.

    `overrides` holds the fields (or the transformers defaults) where a family differs.
    Defaults are LlamaConfig's: a key absent from the file takes the value transformers gives it.
    """
    defaults = {"tie_word_embeddings": False, "attention_bias": False, "mlp_bias": False}
    defaults.update(overrides.pop("defaults", {}))
    d_model = r.int("hidden_size", defaults.get("hidden_size", 4096), field="d_model", minimum=1)
    n_head = r.int("num_attention_heads", defaults.get("num_attention_heads", 32), field="n_head", minimum=1)
    head_dim = r.int("head_dim", None, field="d_head", minimum=1)
    if head_dim is None:
        head_dim = d_model // n_head
        r.note("d_head", "hidden_size")
    attention_bias = r.bool("attention_bias", defaults["attention_bias"], field="qkv_bias")
    fields: dict[str, Any] = {
        "n_vocab": r.int("vocab_size", defaults.get("vocab_size", 32000), field="n_vocab", minimum=1),
        "n_layer": r.int("num_hidden_layers", defaults.get("num_hidden_layers", 32), field="n_layer", minimum=1),
        "d_model": d_model,
        "n_head": n_head,
        "d_head": head_dim,
        "n_kv_head": r.int("num_key_value_heads", n_head, field="n_kv_head", minimum=1),
        "d_ff": r.int("intermediate_size", defaults.get("intermediate_size", 11008), field="d_ff", minimum=1),
        "n_context": r.int("max_position_embeddings", defaults.get("max_position_embeddings", 2048), field="n_context"),
        "position_embedding": "rotary",
        "tie_embeddings": r.bool("tie_word_embeddings", defaults["tie_word_embeddings"], field="tie_embeddings"),
        "qkv_bias": attention_bias,
        "out_bias": attention_bias,
        "mlp": "gated",
        "mlp_bias": r.bool("mlp_bias", defaults["mlp_bias"], field="mlp_bias"),
        "norm": "rmsnorm",
    }
    fields.update(overrides)
    return Architecture(**fields)
