"""voxtral: VoxtralForConditionalGeneration (Voxtral Mini 3B, Voxtral Small 24B). A llama
text model (`text_config`, whose absent keys take VoxtralConfig's own defaults, Ministral
3B's widths, not LlamaConfig's), Whisper's audio encoder (`audio_config`, voxtral_encoder:
see towers.whisper_encoder) and a projector of two bias-free linear layers: from the audio
tower's intermediate_size (four encoder frames stacked) to the text width, then text to text.
"""

from __future__ import annotations

from typing import Any

from ...architecture import Architecture
from ...parts import Linear, Part, Projector
from .. import CannotCount, Reader
from .towers import audio_tower, sub_reader

# VoxtralConfig._default_text_config_kwargs: under a text_config the file does not override.
TEXT_DEFAULTS: dict[str, Any] = {
    "vocab_size": 131072,
    "hidden_size": 3072,
    "intermediate_size": 8192,
    "num_hidden_layers": 30,
    "num_key_value_heads": 8,
    "max_position_embeddings": 131072,
    "head_dim": 128,
}


def architecture(r: Reader) -> Architecture:
    from . import FAMILIES

    text = sub_reader(r, "text_config", {})
    model_type = text.string("model_type", "llama")
    family = FAMILIES.get(model_type)
    if family is None or hasattr(family, "parts"):
        raise CannotCount(text.path("model_type"), f"cannot count a text model of model_type {model_type!r} yet")
    sources: dict[str, Any] = {}
    arch = family.architecture(Reader({**TEXT_DEFAULTS, **text.data}, text.base, sources))
    given = {key for key, value in text.data.items() if value is not None}
    text.sources.update({field: path for field, path in sources.items() if path[-1] in given})
    return arch


def parts(r: Reader) -> tuple[Part, ...]:
    audio = audio_tower(r, "voxtral_encoder")
    d_text = architecture(r).d_model
    projector = Projector(
        (Linear("proj_1", audio.d_ff, d_text, bias=False), Linear("proj_2", d_text, d_text, bias=False))
    )
    return (Part("audio", audio), Part("projector", projector))
