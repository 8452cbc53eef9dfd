"""gptj: GPTJForCausalLM (GPT-J-6B). GPT-2's key names with a parallel block (one LayerNorm
per layer), bias-free attention, rotary positions (rotary_dim adds no parameters), a biased
MLP of width n_inner (null: 4 * n_embd) and an untied lm_head that always has a bias."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .gpt2 import gpt2_like

GPTJ_DEFAULTS = {
    "vocab_size": 50400,
    "n_layer": 28,
    "n_embd": 4096,
    "n_head": 16,
    "n_positions": 2048,
    "tie_word_embeddings": False,
}


def architecture(r: Reader) -> Architecture:
    return gpt2_like(
        r,
        GPTJ_DEFAULTS,
        position_embedding="rotary",
        qkv_bias=False,
        out_bias=False,
        norms_per_layer=1,
        lm_head_bias=True,
    )
