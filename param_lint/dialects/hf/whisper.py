"""whisper: WhisperForConditionalGeneration and WhisperModel (Whisper speech recognition).

An encoder-decoder d_model wide with pre-LN blocks, biases everywhere except on the key
projections (`key_bias`), a final LayerNorm after each stack, and the decoder's token
embedding tied to proj_out. The decoder's learned positions (max_target_positions rows)
are the record's W_P; what the flat record has no field for is the `audio` part: the
encoder's front end, two 3-wide convolutions from num_mel_bins to d_model with biases, and
its max_source_positions position rows (a parameter, filled with sinusoids).

Encoder and decoder share one Architecture, so their feed-forward widths must agree.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Part, Weight
from .. import CannotCount, Reader
from .common import model_width_dimensions
from .encoders import Head, head_of

HEADS = {"WhisperModel": Head(), "WhisperForConditionalGeneration": Head(lm_head=True)}


def _head(r: Reader) -> Head:
    return head_of(r, HEADS, "WhisperForConditionalGeneration")[1]


# openai-whisper's ModelDimensions (also MLX's Whisper configs): none is a WhisperConfig key,
# so transformers builds whisper-tiny's default widths from such a file, not the model it names.
_OPENAI_KEYS = ("n_audio_state", "n_text_state", "n_audio_layer", "n_text_layer", "n_mels")


def architecture(r: Reader) -> Architecture:
    foreign = next((key for key in _OPENAI_KEYS if key in r.data), None)
    if foreign is not None and "d_model" not in r.data:
        raise CannotCount(
            r.path(foreign),
            f"`{foreign}` is openai-whisper's (and MLX's) key, not transformers' WhisperConfig's: "
            "read as a Hugging Face config this file is whisper-tiny's default widths, not the model "
            "it describes",
        )
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", 51865),
            "n_layer": ("decoder_layers", 4),
            "n_encoder_layer": ("encoder_layers", 4),
            "d_model": ("d_model", 384),
            "n_head": ("decoder_attention_heads", 6),
            "d_ff": ("decoder_ffn_dim", 1536),
            "n_context": ("max_target_positions", 448),
        },
    )
    encoder_ffn = r.integer("encoder_ffn_dim", 1536, minimum=1)
    if encoder_ffn != dims["d_ff"]:
        raise CannotCount(r.path("encoder_ffn_dim"), "cannot count an encoder_ffn_dim other than the decoder's yet")
    encoder_heads = r.integer("encoder_attention_heads", 6, minimum=1)
    if dims["d_model"] % encoder_heads:
        r.fail("encoder_attention_heads", f"d_model ({dims['d_model']}) is not a multiple of {encoder_heads}")
    return Architecture(
        **dims,
        key_bias=False,
        tie_embeddings=r.boolean("tie_word_embeddings", True, field="tie_embeddings") or not _head(r).lm_head,
    )


def parts(r: Reader) -> tuple[Part, ...]:
    d = architecture(r).d_model
    n_mel = r.integer("num_mel_bins", 80, minimum=1)
    n_source = r.integer("max_source_positions", 1500, minimum=1)
    front = (
        Weight("W_conv1", (d, n_mel, 3)),
        Weight("b_conv1", (d,)),
        Weight("W_conv2", (d, d, 3)),
        Weight("b_conv2", (d,)),
        Weight("W_P_encoder", (n_source, d)),
    )
    return (Part("audio", LayerGroup("audio front end", front, "embedding")),)
