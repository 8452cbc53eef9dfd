"""ernie4_5_moe: Ernie4_5_MoeForCausalLM (ERNIE-4.5-21B-A3B, -300B-A47B). ERNIE 4.5's
block; layer i is MoE when (i + 1) is a multiple of moe_layer_interval and
moe_layer_start_index <= i <= moe_layer_end_index (-1: the last layer), dense (width
intermediate_size) otherwise. A MoE layer has moe_num_experts gated experts of width
moe_intermediate_size (moe_k per token), moe_num_shared_experts always-active ones fused
into one MLP, a bias-free router and a (1, moe_num_experts) score-correction bias that
transformers keeps as a parameter. use_bias biases every projection and the head; with it,
transformers 4.57 biases the routed experts too and 5.x does not (no published file sets
it): param-lint follows 4.57."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, llama_like, routed_experts, same_bias

ERNIE4_5_MOE_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 103424,
    "hidden_size": 2560,
    "intermediate_size": 12288,
    "num_hidden_layers": 28,
    "num_attention_heads": 20,
    "num_key_value_heads": 4,
    "head_dim": None,
    "max_position_embeddings": 131072,
    "tie_word_embeddings": True,
    "moe_num_experts": 64,
    "moe_k": 6,
    "moe_intermediate_size": 1536,
    "moe_num_shared_experts": 2,
    "moe_layer_start_index": 1,
    "moe_layer_end_index": -1,
    "moe_layer_interval": 1,
}
EXPERT_KEYS = {"n_expert": "moe_num_experts", "n_expert_per_token": "moe_k", "d_ff_expert": "moe_intermediate_size"}


def moe_layers(r: Reader, n_layer: int) -> int:
    """How many layers are MoE, by ErnieConfig's start, end and interval keys."""
    d = ERNIE4_5_MOE_DEFAULTS
    start = r.integer("moe_layer_start_index", d["moe_layer_start_index"], field="n_dense_layer")
    end = r.integer("moe_layer_end_index", d["moe_layer_end_index"], field="n_dense_layer", minimum=-1)
    interval = r.integer("moe_layer_interval", d["moe_layer_interval"], field="n_dense_layer", minimum=1)
    end = n_layer - 1 if end == -1 else end
    return sum(1 for i in range(n_layer) if (i + 1) % interval == 0 and start <= i <= end)


def architecture(r: Reader) -> Architecture:
    d = ERNIE4_5_MOE_DEFAULTS
    n_layer = r.integer("num_hidden_layers", d["num_hidden_layers"], field="n_layer", minimum=1)
    experts = routed_experts(r, EXPERT_KEYS, d)
    n_shared = r.integer("moe_num_shared_experts", d["moe_num_shared_experts"], field="d_ff_shared")
    bias = same_bias(r, "use_bias", False)
    return llama_like(
        r,
        d,
        **bias,
        lm_head_bias=bias["qkv_bias"],
        **experts,
        d_ff_shared=n_shared * experts["d_ff_expert"],
        router_correction_bias=True,
        n_dense_layer=n_layer - moe_layers(r, n_layer),
    )
