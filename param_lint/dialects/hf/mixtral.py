"""mixtral: MixtralForCausalLM. Mistral's attention with every MLP replaced by
num_local_experts gated experts of width intermediate_size (a bias-free router picks
num_experts_per_tok of them); no shared expert, no dense layers."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import llama_like, routed_experts
from .mistral import MISTRAL_DEFAULTS

MIXTRAL_DEFAULTS = {**MISTRAL_DEFAULTS, "num_local_experts": 8, "num_experts_per_tok": 2}
EXPERT_KEYS = {
    "n_expert": ("num_local_experts", "num_experts"),
    "n_expert_per_token": "num_experts_per_tok",
    "d_ff_expert": "intermediate_size",
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, MIXTRAL_DEFAULTS, **routed_experts(r, EXPERT_KEYS, MIXTRAL_DEFAULTS))
