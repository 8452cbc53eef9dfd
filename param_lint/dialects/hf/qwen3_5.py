"""qwen3_5: Qwen3_5ForConditionalGeneration (Qwen3.5 0.8B to 27B; every published size is this
multimodal class). The text model under text_config (model_type qwen3_5_text) is Qwen3-Next's
hybrid stack without experts: layer_types (else every full_attention_interval-th layer, default
4) picks gated full attention (Qwen3-Next's: q_proj also yields the output gate, head-wide q/k
RMSNorms) or Gated DeltaNet linear attention, and every layer has a dense gated MLP of width
intermediate_size. The vision tower (vision_config) is Qwen3-VL's ViT: a biased 3-D patch
embedding over temporal_patch_size frames, num_position_embeddings learned positions, LayerNorm
blocks with a fused biased qkv and a plain biased MLP, no final norm; the patch merger is a
LayerNorm over the tower width and two biased linear layers from spatial_merge_size² patches to
out_hidden_size. The top-level tie_word_embeddings (default false) ties lm_head, as transformers
5 builds it. The checkpoints' multi-token-prediction layer (`mtp.*`, mtp_num_hidden_layers) is
not built by transformers 5.24.0 and not counted. transformers 4.57 has no qwen3_5."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...architecture import Architecture, Mixer
from ...parts import Part
from .. import Reader
from . import qwen3_vl
from .common import LLAMA_DEFAULTS, attention_bias, llama_like
from .qwen3_next import gated_deltanet
from .ssm import layer_types, stack
from .towers import sub_reader

# Qwen3_5TextConfig's defaults (transformers 5.24.0).
TEXT_DEFAULTS = {
    **LLAMA_DEFAULTS,
    "vocab_size": 248320,
    "hidden_size": 4096,
    "intermediate_size": 12288,
    "num_hidden_layers": 32,
    "num_attention_heads": 16,
    "num_key_value_heads": 4,
    "head_dim": 256,
    "max_position_embeddings": 32768,
}
# Qwen3_5VisionConfig's defaults are Qwen3VLVisionConfig's (qwen3_vl.VISION_DEFAULTS).


def text_stack(r: Reader, defaults: dict[str, Any], ffn: str, **fields: Any) -> Architecture:
    """The hybrid text model under text_config: `ffn` ("dense" or "moe") in every layer."""
    text = sub_reader(r, "text_config", {})
    n_layer = text.integer("num_hidden_layers", defaults["num_hidden_layers"], field="n_layer", minimum=1)
    interval = text.integer("full_attention_interval", 4, field="layers", minimum=1)
    default = ["linear_attention" if (i + 1) % interval else "full_attention" for i in range(n_layer)]
    deltanet = replace(gated_deltanet(text), split=True)  # in_proj_qkv, in_proj_z, in_proj_b, in_proj_a
    pattern = []
    for kind in layer_types(text, n_layer, ("linear_attention", "full_attention"), default):
        mixer: Mixer = "attention" if kind == "full_attention" else deltanet
        pattern.append(((mixer,), ffn, 2))
    # the top-level flag decides tying (Qwen3_5Config's default: false), not text_config's
    fields["tie_embeddings"] = r.boolean("tie_word_embeddings", False, field="tie_embeddings")
    return llama_like(
        text,
        defaults,
        **attention_bias(text, False),
        qk_norm="head",
        attention_output_gate=True,
        layers=stack(pattern),
        **fields,
    )


def architecture(r: Reader) -> Architecture:
    return text_stack(r, TEXT_DEFAULTS, "dense")


def vision_parts(r: Reader) -> tuple[Part, ...]:
    """Qwen3-VL's vision tower and patch merger, without its DeepStack mergers."""
    return qwen3_vl.vision_parts(r, deepstack=False)


def parts(r: Reader) -> tuple[Part, ...]:
    return vision_parts(r)
