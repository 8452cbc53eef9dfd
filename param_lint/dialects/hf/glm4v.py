"""glm4v: Glm4vForConditionalGeneration (GLM-4.1V-9B-Thinking/-Base, GLM-4.6V-Flash). A
GLM-4-9B-0414 text model under text_config (four RMSNorms per layer, before and after
attention and the MLP; W_Q, W_K and W_V always biased, W_O never, whatever attention_bias
says, as Glm4vTextAttention builds them; the heads hidden_size // num_attention_heads wide;
gate and up fused, no biases) and GLM-4V's vision tower, downsampling convolution and patch
merger, shared with glm4v_moe (glm4v_moe.vision_parts).

Not registered: no verbatim published config of it has been found yet (tests/hf/composite/
README.md says what was searched); its counts are checked against transformers on configs of
our own (tests/hf/composite_own/glm4v/)."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .common import llama_like
from .glm4v_moe import vision_parts
from .towers import sub_reader

# Glm4vTextConfig's defaults (no head_dim key: the heads split hidden_size).
TEXT_DEFAULTS = {
    "vocab_size": 151552,
    "hidden_size": 4096,
    "intermediate_size": 13696,
    "num_hidden_layers": 40,
    "num_attention_heads": 32,
    "num_key_value_heads": 2,
    "max_position_embeddings": 32768,
    "tie_word_embeddings": False,
}


def architecture(r: Reader) -> Architecture:
    text = sub_reader(r, "text_config", {})
    return llama_like(text, TEXT_DEFAULTS, qkv_bias=True, out_bias=False, norms_per_layer=4)


def parts(r: Reader) -> tuple[Part, ...]:
    return vision_parts(r)
