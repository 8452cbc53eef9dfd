"""smollm3: SmolLM3ForCausalLM (SmolLM3-3B). Llama's block and keys; no_rope_layers only
switches rotary positions off in some layers. Tied embeddings by default."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like

SMOLLM3_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 128256,
    "hidden_size": 2048,
    "intermediate_size": 11008,
    "num_hidden_layers": 36,
    "num_attention_heads": 16,
    "num_key_value_heads": 4,
    "max_position_embeddings": 32768,
    "tie_word_embeddings": True,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(
        r, SMOLLM3_DEFAULTS, **attention_bias(r, False), mlp_bias=r.boolean("mlp_bias", False, field="mlp_bias")
    )
