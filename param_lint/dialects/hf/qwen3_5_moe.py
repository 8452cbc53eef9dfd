"""qwen3_5_moe: Qwen3_5MoeForConditionalGeneration (Qwen3.5-35B-A3B, 122B-A10B, 397B-A17B).
Qwen3.5's hybrid text model (qwen3_5.py) with Qwen-MoE in every layer: num_experts routed
experts of width moe_intermediate_size (num_experts_per_tok per token), a shared expert of
width shared_expert_intermediate_size behind a sigmoid gate; the config class has no dense
layers (no mlp_only_layers, no decoder_sparse_step, no intermediate_size). Vision tower and
patch merger as in qwen3_5. transformers 4.57 has no qwen3_5_moe; the experts are stacked
3-D tensors in transformers 5 (gate and up fused). The `mtp.*` layer is not counted."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .common import QWEN_EXPERT_KEYS, routed_experts
from .qwen3_5 import TEXT_DEFAULTS as DENSE_DEFAULTS
from .qwen3_5 import text_stack, vision_parts
from .towers import sub_reader

# Qwen3_5MoeTextConfig's defaults (transformers 5.24.0); its MoE layers have no dense width.
TEXT_DEFAULTS = {
    **DENSE_DEFAULTS,
    "hidden_size": 2048,
    "num_hidden_layers": 40,
    "num_key_value_heads": 2,
    "num_experts": 256,
    "num_experts_per_tok": 8,
    "moe_intermediate_size": 512,
    "shared_expert_intermediate_size": 512,
}


def architecture(r: Reader) -> Architecture:
    text = sub_reader(r, "text_config", {})
    experts = routed_experts(text, QWEN_EXPERT_KEYS, TEXT_DEFAULTS, null=False)
    shared = text.integer(
        "shared_expert_intermediate_size", TEXT_DEFAULTS["shared_expert_intermediate_size"], field="d_ff_shared"
    )
    # d_ff: no dense MLP exists; the expert width stands in so what-ifs stay well defined
    defaults = {**TEXT_DEFAULTS, "intermediate_size": experts["d_ff_expert"]}
    return text_stack(r, defaults, "moe", **experts, d_ff_shared=shared, shared_expert_gate=True)


def parts(r: Reader) -> tuple[Part, ...]:
    return vision_parts(r)
