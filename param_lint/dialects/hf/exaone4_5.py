"""exaone4_5: Exaone4_5_ForConditionalGeneration (EXAONE 4.5; transformers 5 only). The text
model under text_config is EXAONE 4.0's (exaone4: RMSNorms after attention and after the MLP,
head-wide q/k RMSNorms, no biases); the published file says model_type "exaone4_5_text", which
Exaone4_5_Config reads as exaone4. The vision tower is Qwen2.5-VL's ViT (3-D patches, RMSNorm
blocks, a biased gated MLP, a fused biased qkv) with grouped-query attention: W_K and W_V are
num_key_value_heads x (hidden_size / num_heads) wide. The patch merger is Qwen2.5-VL's. The
top-level tie_word_embeddings (default false) ties lm_head. The checkpoints' multi-token-
prediction layer (`mtp.*`, num_nextn_predict_layers) is not built by transformers 5.24.0 and
not counted."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Part
from .. import Reader
from .common import llama_like
from .exaone4 import EXAONE4_DEFAULTS
from .qwen2_5_vl import VISION_DEFAULTS, vision_parts
from .towers import positive_ints, sub_reader

# Exaone4_5_VisionConfig's defaults: Qwen2_5_VLVisionConfig's, and 8 key/value heads.
HEAD_DEFAULTS = {"num_heads": 16, "num_key_value_heads": 8}


def architecture(r: Reader) -> Architecture:
    text = sub_reader(r, "text_config", {})
    # the top-level flag decides tying (Exaone4_5_Config's default: false), not text_config's
    tie = r.boolean("tie_word_embeddings", False, field="tie_embeddings")
    return llama_like(text, EXAONE4_DEFAULTS, qk_norm="head", tie_embeddings=tie)


def parts(r: Reader) -> tuple[Part, ...]:
    vision = r.mapping("vision_config")
    k = positive_ints(vision, (VISION_DEFAULTS | HEAD_DEFAULTS))
    d = k["hidden_size"]
    if d % k["num_heads"]:
        vision.fail("num_heads", f"hidden_size ({d}) is not a multiple of num_heads ({k['num_heads']})")
    d_kv = k["num_key_value_heads"] * (d // k["num_heads"])
    return vision_parts(k, d_kv=d_kv)
