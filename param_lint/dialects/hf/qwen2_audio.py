"""qwen2_audio: Qwen2AudioForConditionalGeneration (Qwen2-Audio-7B and -Instruct). A qwen2
text model (any supported `text_config` model_type, qwen2 by default), Whisper's audio
encoder (`audio_config`, qwen2_audio_encoder: see towers.whisper_encoder; its average
pooling holds no weights) and a projector: one linear layer with a bias from the audio
width to the text width."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import Linear, Part, Projector
from .. import Reader
from .towers import audio_tower, text_model


def architecture(r: Reader) -> Architecture:
    return text_model(r, "qwen2", absent={})


def parts(r: Reader) -> tuple[Part, ...]:
    audio = audio_tower(r, "qwen2_audio_encoder")
    projector = Projector((Linear("proj", audio.d_model, architecture(r).d_model),))
    return (Part("audio", audio), Part("projector", projector))
