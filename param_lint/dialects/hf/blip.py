"""blip: BlipForConditionalGeneration (BLIP image captioning). The text decoder under
text_config (blip_text_model) is BERT's post-LN stack (word and learned position embeddings
with a LayerNorm, no token types, no pooler) whose every layer, while is_decoder (the
default), also has a cross-attention block over the image: W_Q and W_O hidden_size wide, W_K
and W_V reading the vision tower's hidden_size features (BlipConfig overwrites the text
config's encoder_hidden_size with it), all biased, and a LayerNorm; then BERT's MLM
transform and its decoder tied to the word embedding, with a bias. The vision tower under
vision_config (blip_vision_model) is a ViT: a biased patch convolution over 3 channels, a
learned [CLS] vector and (image_size / patch_size)² + 1 learned positions, LayerNorm blocks
with a fused biased qkv and a plain biased MLP, a final LayerNorm. No projector: the image
reaches the text only through cross-attention. Other BLIP classes (BlipModel, retrieval,
question answering) are not counted yet; nor is a file whose tie_word_embeddings is false
(transformers 4.57.6 and 5.24.0 do not untie it alike)."""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import EncoderStack, LayerGroup, Linear, Norm, Part
from .. import CannotCount, Reader
from .bert import encoder_stack
from .encoders import Head, head_of, head_parts
from .towers import positive_ints, sub_reader

HEADS = {"BlipForConditionalGeneration": Head(mlm=True)}
TEXT_DEFAULTS = {"vocab_size": 30524, "max_position_embeddings": 512}
# BlipVisionConfig's defaults
VISION_DEFAULTS = {
    "hidden_size": 768,
    "intermediate_size": 3072,
    "num_hidden_layers": 12,
    "image_size": 384,
    "patch_size": 16,
}


def text_reader(r: Reader) -> Reader:
    head_of(r, HEADS, "BlipForConditionalGeneration")
    text = sub_reader(r, "text_config", {})
    for flags in (r, text):
        if not flags.boolean("tie_word_embeddings", True):
            raise CannotCount(
                flags.path("tie_word_embeddings"),
                "cannot count BLIP with tie_word_embeddings false yet (transformers releases untie it differently)",
            )
    return text


def architecture(r: Reader) -> Architecture:
    return encoder_stack(text_reader(r), TEXT_DEFAULTS, mlm=True)


def parts(r: Reader) -> tuple[Part, ...]:
    text = text_reader(r)
    d = architecture(r).d_model
    vision = r.mapping("vision_config")
    k = positive_ints(vision, VISION_DEFAULTS)
    result = list(head_parts(r, Head(mlm=True), d))
    if text.boolean("is_decoder", True):
        d_enc = k["hidden_size"]  # BlipConfig sets text_config.encoder_hidden_size to it
        cross = (
            Linear("cross_Q", d, d),
            Linear("cross_K", d_enc, d),
            Linear("cross_V", d_enc, d),
            Linear("cross_O", d, d),
            Norm("norm_cross", d, "layernorm"),
        )
        group = LayerGroup("cross-attention", cross, "attention", architecture(r).n_layer)
        result.insert(0, Part("cross-attention", group))
    n_position = (k["image_size"] // k["patch_size"]) ** 2 + 1
    tower = EncoderStack(
        k["num_hidden_layers"],
        k["hidden_size"],
        k["intermediate_size"],
        3,
        (k["patch_size"], k["patch_size"]),
        patch_bias=True,
        n_position=n_position,
        class_token=True,
        post_norm=True,
    )
    return (*result, Part("vision", tower))
