"""ministral3: Ministral3ForCausalLM, the text model of Ministral 3, Magistral and Devstral 2
(transformers 5 only). A Mistral decoder (bias-free linear layers, RMSNorm, gated MLP) with
Ministral3Config's defaults: head_dim 128 and 8 key/value heads (which it refuses to
take as null); its YaRN rope_parameters and llama_4_scaling_beta hold no parameters.
Published Ministral 3 files name Mistral3ForConditionalGeneration with this as their
text_config: the mistral3 family counts those whole."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like

MINISTRAL3_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 131072,
    "intermediate_size": 14336,
    "num_hidden_layers": 34,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "max_position_embeddings": 262144,
}


def architecture(r: Reader) -> Architecture:
    for key in ("head_dim", "num_key_value_heads"):
        if key in r.data and r.data[key] is None:
            r.fail(key, f"{key} must be an integer: transformers' Ministral3Config refuses null")
    return llama_like(r, MINISTRAL3_DEFAULTS)
