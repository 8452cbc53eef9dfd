"""cohere: CohereForCausalLM (Command-R, Aya 23). A parallel block (attention and MLP read
one shared LayerNorm: one norm per layer) with bias-free LayerNorms (weight only); with
use_qk_norm, a bias-free LayerNorm per head on queries (n_head, d_head) and keys
(n_kv_head, d_head). Embeddings tied by default; logit_scale is not a parameter."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like

COHERE_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 256000,
    "hidden_size": 8192,
    "intermediate_size": 22528,
    "num_hidden_layers": 40,
    "num_attention_heads": 64,
    "max_position_embeddings": 8192,
    "tie_word_embeddings": True,
}


def no_null_head_dim(r: Reader) -> None:
    """Cohere's attention (and Cohere 2's) takes a head_dim the config has as it is, null too,
    and transformers cannot build a null one (4.57.6 and 5.24.0 fail in the rotary
    embedding): PL101 where llama's `or` falls back to hidden_size / num_attention_heads."""
    if "head_dim" in r.data and r.data["head_dim"] is None:
        r.fail("head_dim", "head_dim is null: Cohere's attention reads it as written and transformers cannot build it")


def architecture(r: Reader) -> Architecture:
    no_null_head_dim(r)
    qk_norm = r.boolean("use_qk_norm", False, field="qk_norm")
    return llama_like(
        r,
        COHERE_DEFAULTS,
        **attention_bias(r, False),
        norm="layernorm",
        norm_bias=False,
        norms_per_layer=1,
        qk_norm="per_head" if qk_norm else "none",
    )
