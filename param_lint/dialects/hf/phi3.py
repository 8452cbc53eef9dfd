"""phi3: Phi3ForCausalLM (Phi-3, Phi-3.5, Phi-4-mini). A Llama with W_Q, W_K, W_V fused
into one qkv_proj and the gate and up matrices into one gate_up_proj: the same parameters.
No bias switches (all bias-free); partial rotary and long-rope scaling add no parameters."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like

PHI3_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 32064,
    "hidden_size": 3072,
    "intermediate_size": 8192,
    "max_position_embeddings": 4096,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, PHI3_DEFAULTS)
