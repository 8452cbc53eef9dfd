"""lfm2_vl: Lfm2VlForConditionalGeneration (LFM2-VL 450M / 1.6B / 3B, LFM2.5-VL). An lfm2 text
model under text_config, a SigLIP2 (NaFlex) vision tower under vision_config (towers.siglip2),
and a projector: pixel unshuffle by downsample_factor (no weights), a LayerNorm over the
vision width x downsample_factor² (unless projector_use_layernorm is false), then two linear
layers through projector_hidden_size to the text width (biases per projector_bias).

LiquidAI's published files spell the model_type `lfm2-vl` (some with an `auto_map` to their
remote code): that is Lfm2VlConfig.model_type in transformers 4.57 (registered there under
`lfm2_vl`), renamed `lfm2_vl` in transformers 5, which builds the `lfm2-vl` files through the
class their `architectures` names. Both spellings are this family. The top-level tie_word_embeddings (or
tie_embedding) ties lm_head when the file gives one, else the text model's flag (true for
lfm2). transformers 4.57.6 builds the projector's LayerNorm even when a file says
projector_use_layernorm false (5.x honours the flag, as the checkpoints without one need)."""

from __future__ import annotations

from dataclasses import replace

from ...architecture import Architecture
from ...parts import Linear, Norm, Part, Projector
from .. import Reader
from .towers import text_model, vision_tower


def architecture(r: Reader) -> Architecture:
    text = text_model(r, "lfm2", absent={})
    for key in ("tie_word_embeddings", "tie_embedding"):
        if r.has(key):
            return replace(text, tie_embeddings=r.boolean(key, True, field="tie_embeddings"))
    return text


def parts(r: Reader) -> tuple[Part, ...]:
    vision = vision_tower(r, "siglip2_vision_model", absent={})
    factor = r.integer("downsample_factor", 2, minimum=1)
    width = vision.d_model * factor * factor
    hidden = r.integer("projector_hidden_size", 2560, minimum=1)
    bias = r.boolean("projector_bias", True)
    norm = [Norm("norm_mm", width, "layernorm")] if r.boolean("projector_use_layernorm", True) else []
    projector = Projector(
        (*norm, Linear("proj_1", width, hidden, bias), Linear("proj_2", hidden, architecture(r).d_model, bias))
    )
    return (Part("vision", vision), Part("projector", projector))
