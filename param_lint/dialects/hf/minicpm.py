"""minicpm: MiniCPM-1/2 (MiniCPM-2B, MiniCPM-1B), remote code `MiniCPMForCausalLM`
(auto_map -> modeling_minicpm). An alias: architecturally Llama (see llama) under Llama's
key names, counted as that model.

The keys are MiniCPMConfig's (defaults: 32,000 tokens, 4096 wide, 32 layers, embeddings
tied). `scale_emb`, `scale_depth` and `dim_model_base` scale activations and hold no
parameter; `attention_bias` covers W_Q, W_K, W_V and W_O; there is no `head_dim` key (the
code splits hidden_size across the heads and refuses heads that do not divide it) and no MLP
bias. MiniCPM-2B's published config.json has no `model_type`: its auto_map's AutoConfig
(AUTO_CONFIG) names this type, as transformers loads it. MiniCPM3 is `minicpm3` (other code);
MiniCPM4 (`sparse_config`) ships other code too.
"""

from __future__ import annotations

from typing import Any

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, attention_bias, llama_like

# The supported family this remote-code type is (hf.aliases, the PL102 message).
ALIAS_OF = "llama"

# auto_map's AutoConfig in a config that says no model_type (hf.read).
AUTO_CONFIG = "configuration_minicpm.MiniCPMConfig"

# MiniCPMConfig's defaults (configuration_minicpm.py): LlamaConfig's, with the embeddings
# tied and no head_dim key.
MINICPM_DEFAULTS: dict[str, Any] = {
    **{key: value for key, value in LLAMA_DEFAULTS.items() if key != "head_dim"},
    "tie_word_embeddings": True,
}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, MINICPM_DEFAULTS, **attention_bias(r, False))
