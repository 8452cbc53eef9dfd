"""llama: LlamaForCausalLM (Llama 1, 2, 3), the template most other families follow.

Quirks: num_key_value_heads absent or null means as many as the query heads; head_dim
absent means hidden_size // num_attention_heads; attention_bias covers W_Q, W_K, W_V and
W_O together; mlp_bias covers the three MLP matrices.
"""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like


def architecture(r: Reader) -> Architecture:
    return llama_like(
        r,
        LLAMA_DEFAULTS,
        **attention_bias(r, False),
        mlp_bias=r.boolean("mlp_bias", False, field="mlp_bias"),
    )
