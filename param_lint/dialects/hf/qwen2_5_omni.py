"""qwen2_5_omni: Qwen2_5OmniForConditionalGeneration (Qwen2.5-Omni 3B/7B), the whole model.

`thinker_config` is the model that reads: a Qwen2 text model (`text_config`, the text model
every rule works on: biases on W_Q, W_K, W_V), Whisper's audio encoder without learned
positions (sinusoids, a buffer) followed by a LayerNorm, a projection to `output_dim` and two
learned audio begin/end vectors (part `audio`), and Qwen2.5-VL's vision transformer and patch
merger (parts `vision` and `projector`, read as qwen2_5_vl reads them). With
`enable_audio_output` (true by default; null is false, as transformers 4.57.6 reads it)
transformers also builds the speech side:
`talker_config`, a Qwen2-style decoder over codec tokens whose embeddings are
`embedding_size` wide and projected in with a bias (part `talker`), and `token2wav_config`, a
DiT over mel frames (timestep MLP, codec embedding, an ECAPA-TDNN speaker encoder, blocks
with adaptive LayerNorm modulation) and a BigVGAN vocoder (transposed-convolution upsampling,
AMP residual blocks with Snake activations) (part `token2wav`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Norm, Part, Weight
from .. import Reader
from . import qwen2_5_vl
from .common import LLAMA_DEFAULTS, llama_like, truth
from .towers import positive_ints, qwen2_audio_encoder, sub_reader

# Qwen2_5OmniTextConfig's defaults (Qwen2.5-Omni-7B's thinker); head_dim only if the file says.
TEXT_DEFAULTS: dict[str, Any] = {
    **LLAMA_DEFAULTS,
    "vocab_size": 152064,
    "hidden_size": 3584,
    "intermediate_size": 18944,
    "num_hidden_layers": 28,
    "num_attention_heads": 28,
    "num_key_value_heads": 4,
    "max_position_embeddings": 32768,
}
TALKER_DEFAULTS = {
    "vocab_size": 8448,
    "embedding_size": 3584,
    "hidden_size": 3584,
    "intermediate_size": 18944,
    "num_hidden_layers": 28,
    "num_attention_heads": 28,
    "num_key_value_heads": 4,
    "head_dim": 128,
}
DIT_DEFAULTS = {
    "hidden_size": 1024,
    "num_hidden_layers": 22,
    "num_attention_heads": 16,
    "head_dim": 64,
    "emb_dim": 512,
    "num_embeds": 8193,
    "mel_dim": 80,
    "enc_emb_dim": 192,
    "enc_dim": 128,
    "enc_attention_channels": 64,
    "enc_res2net_scale": 2,
    "enc_se_channels": 64,
}
DIT_LISTS = {
    "enc_channels": [256, 256, 256, 256, 768],
    "enc_kernel_sizes": [5, 3, 3, 3, 1],
    "enc_dilations": [1, 2, 3, 4, 1],
}
BIGVGAN_LISTS = {
    "resblock_kernel_sizes": [3, 7, 11],
    "upsample_rates": [5, 3, 2, 2, 2, 2],
    "upsample_kernel_sizes": [11, 7, 4, 4, 4, 4],
}


def _thinker(r: Reader) -> Reader:
    return sub_reader(r, "thinker_config", {})


def architecture(r: Reader) -> Architecture:
    return llama_like(sub_reader(_thinker(r), "text_config", {}), TEXT_DEFAULTS, qkv_bias=True)


def _int_list(r: Reader, key: str, default: list[int]) -> list[int]:
    values = r.sequence(key, default)
    for index, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            r.fail(key, f"{key}[{index}] must be a positive integer, got {value!r}")
    return list(values)


def audio_parts(thinker: Reader) -> tuple[Part, ...]:
    """Whisper's encoder (sinusoidal positions: no weights), then ln_post and a projection
    to output_dim with a bias, and the two audio begin/end embeddings."""
    audio = sub_reader(thinker, "audio_config", {})
    stack = replace(qwen2_audio_encoder(audio), n_position=0)
    out = audio.integer("output_dim", 3584, minimum=1)
    output = LayerGroup("audio output", (Linear("proj", stack.d_model, out), Weight("bos_eos", (2, out))), "audio")
    return (Part("audio", stack), Part("audio", output))


def talker_parts(r: Reader) -> tuple[Part, ...]:
    """The talker: a Qwen2-style decoder (biased W_Q, W_K, W_V; gated MLP; RMSNorms) of its
    own widths; codec-token embeddings embedding_size wide, projected in with a bias from
    embedding_size (the thinker's width) to hidden_size; a final RMSNorm and codec_head."""
    talker = sub_reader(r, "talker_config", {})
    k = positive_ints(talker, TALKER_DEFAULTS)
    d, d_ff = k["hidden_size"], k["intermediate_size"]
    d_q, d_kv = k["num_attention_heads"] * k["head_dim"], k["num_key_value_heads"] * k["head_dim"]
    layer = (
        Linear("Q", d, d_q),
        Linear("K", d, d_kv),
        Linear("V", d, d_kv),
        Linear("O", d_q, d, bias=False),
        Linear("1", d, d_ff, bias=False),
        Linear("3", d, d_ff, bias=False),
        Linear("2", d_ff, d, bias=False),
        Norm("norm_1", d),
        Norm("norm_2", d),
    )
    ends = (
        Weight("W_E", (k["vocab_size"], k["embedding_size"])),
        Linear("in", k["embedding_size"], d),
        Norm("norm_final", d),
        Linear("U", d, k["vocab_size"], bias=False),
    )
    return (
        Part("talker", LayerGroup("talker embeddings and head", ends, "talker")),
        Part("talker", LayerGroup("talker layer", layer, "talker", k["num_hidden_layers"])),
    )


def _conv(name: str, c_out: int, c_in: int, kernel: int, bias: bool = True) -> tuple[Weight, ...]:
    """A Conv1d's weight (c_out, c_in, kernel) and bias (a ConvTranspose1d passes c_in first)."""
    weight = Weight(f"W_{name}", (c_out, c_in, kernel))
    return (weight, Weight(f"b_{name}", (c_out,))) if bias else (weight,)


def speaker_encoder(dit: Reader, k: dict[str, int]) -> LayerGroup:
    """The DiT's ECAPA-TDNN speaker encoder: a first TDNN over the mel bins, SE-Res2Net
    blocks, multi-layer aggregation, attentive statistics pooling and a final 1x1 conv."""
    lists = {key: _int_list(dit, key, default) for key, default in DIT_LISTS.items()}
    channels, kernels = lists["enc_channels"], lists["enc_kernel_sizes"]
    if not len(channels) == len(kernels) == len(lists["enc_dilations"]) or len(channels) < 2:
        dit.fail("enc_channels", "enc_channels, enc_kernel_sizes and enc_dilations must be equally long (2 or more)")
    scale, se, last = k["enc_res2net_scale"], k["enc_se_channels"], channels[-1]
    layers: list[Linear | Norm | Weight] = list(_conv("tdnn0", channels[0], k["mel_dim"], kernels[0]))
    for i in range(1, len(channels) - 1):
        c = channels[i]
        layers += _conv(f"tdnn1_{i}", c, channels[i - 1], 1)
        for j in range(scale - 1):
            layers += _conv(f"res2net_{i}_{j}", c // scale, c // scale, kernels[i])
        layers += _conv(f"tdnn2_{i}", c, c, 1) + _conv(f"se1_{i}", se, c, 1) + _conv(f"se2_{i}", c, se, 1)
    layers += _conv("mfa", last, last, kernels[-1])
    layers += _conv("asp_tdnn", k["enc_attention_channels"], 3 * last, 1)
    layers += _conv("asp", last, k["enc_attention_channels"], 1)
    layers += _conv("fc", k["enc_dim"], 2 * last, 1)
    return LayerGroup("speaker encoder", tuple(layers), "token2wav")


def dit_groups(t2w: Reader) -> tuple[LayerGroup, ...]:
    dit = sub_reader(t2w, "dit_config", {})
    k = positive_ints(dit, DIT_DEFAULTS)
    d, inner = k["hidden_size"], k["num_attention_heads"] * k["head_dim"]
    d_ff = int(d * dit.number("ff_mult", 2))
    embeddings = (
        Linear("time_1", 256, d),
        Linear("time_2", d, d),
        Weight("W_codec", (k["num_embeds"] + 1, k["emb_dim"])),
        Linear("input", k["mel_dim"] + k["enc_dim"] + k["enc_emb_dim"] + k["emb_dim"], d),
    )
    block = (
        Linear("modulation", d, 6 * d),
        Linear("Q", d, inner),
        Linear("K", d, inner),
        Linear("V", d, inner),
        Linear("O", inner, d),
        Linear("1", d, d_ff),
        Linear("2", d_ff, d),
    )
    final = (Linear("modulation_final", d, 2 * d), Linear("mel", d, k["mel_dim"]))
    return (
        LayerGroup("dit embeddings", embeddings, "token2wav"),
        speaker_encoder(dit, k),
        LayerGroup("dit block", block, "token2wav", k["num_hidden_layers"]),
        LayerGroup("dit final", final, "token2wav"),
    )


def bigvgan(t2w: Reader) -> LayerGroup:
    """BigVGAN: conv_pre, per upsampling stage a transposed conv halving the channels and one
    AMP block per resblock kernel (3 dilated and 3 plain convs, 6 Snake activations with alpha
    and beta), a final Snake activation and a bias-free conv_post."""
    vocoder = sub_reader(t2w, "bigvgan_config", {})
    mel = vocoder.integer("mel_dim", 80, minimum=1)
    c0 = vocoder.integer("upsample_initial_channel", 1536, minimum=1)
    kernels = _int_list(vocoder, "upsample_kernel_sizes", BIGVGAN_LISTS["upsample_kernel_sizes"])
    rates = _int_list(vocoder, "upsample_rates", BIGVGAN_LISTS["upsample_rates"])
    res_kernels = _int_list(vocoder, "resblock_kernel_sizes", BIGVGAN_LISTS["resblock_kernel_sizes"])
    if len(kernels) != len(rates):
        vocoder.fail("upsample_kernel_sizes", "upsample_kernel_sizes and upsample_rates must be equally long")
    layers: list[Linear | Norm | Weight] = list(_conv("pre", c0, mel, 7))
    for stage, kernel in enumerate(kernels):
        c_in, c = c0 // 2**stage, c0 // 2 ** (stage + 1)
        layers += (Weight(f"W_up{stage}", (c_in, c, kernel)), Weight(f"b_up{stage}", (c,)))
        for block, res_kernel in enumerate(res_kernels):
            for conv in range(6):
                layers += _conv(f"amp{stage}_{block}_{conv}", c, c, res_kernel)
            layers += [Weight(f"snake{stage}_{block}_{n}_{ab}", (c,)) for n in range(6) for ab in ("alpha", "beta")]
    last = c0 // 2 ** len(kernels)
    layers += [Weight("snake_post_alpha", (last,)), Weight("snake_post_beta", (last,))]
    layers += _conv("post", 1, last, 7, bias=False)
    return LayerGroup("bigvgan", tuple(layers), "token2wav")


def parts(r: Reader) -> tuple[Part, ...]:
    thinker = _thinker(r)
    found = audio_parts(thinker) + qwen2_5_vl.parts(thinker)
    if truth(r, "enable_audio_output", True):
        t2w = sub_reader(r, "token2wav_config", {})
        found += talker_parts(r) + tuple(Part("token2wav", group) for group in (*dit_groups(t2w), bigvgan(t2w)))
    return found
