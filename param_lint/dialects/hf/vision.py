"""A vision tower counted as a model of its own (ViT, CLIPVisionModel, SiglipVisionModel).

A config with no text model has no text `Architecture` to describe, yet every rule, the
shape checks and diagnosis work on one. So a standalone tower is represented with its
transformer stack as the model's main `Architecture` (`token_embedding=False`: no W_E and
no unembedding; the learned positions are its W_P, a LayerNorm before the stack its
norm_E, the one after it the final norm) and what surrounds the stack as parts:
`embeddings` (the patch embedding and the [CLS] vector) and `head` (SigLIP's attention-
pooling head, ViT's pooler, a classifier). The tower is read by the same `towers.py`
reader a composite model uses for its `vision_config`, so both count it the same way.
"""

from __future__ import annotations

from math import prod

from ...architecture import Architecture
from ...parts import EncoderStack, LayerGroup, Linear, Norm, Part, Weight
from .. import Reader


def stack_architecture(e: EncoderStack, n_head: int) -> Architecture:
    """The tower's transformer stack as an Architecture (attention d_model wide)."""
    return Architecture(
        n_vocab=0,
        n_layer=e.n_layer,
        d_model=e.d_model,
        n_head=n_head,
        d_head=e.d_model // n_head,
        n_kv_head=n_head,
        d_ff=e.d_ff,
        n_context=e.n_position,
        position_embedding="learned" if e.n_position else "none",
        token_embedding=False,
        embedding_norm=e.pre_norm,
        qkv_bias=e.qkv_bias,
        out_bias=e.out_bias,
        mlp=e.mlp,
        mlp_bias=e.mlp_bias,
        norm=e.norm,
        final_norm=e.post_norm,
    )


def tower_parts(e: EncoderStack) -> tuple[Part, ...]:
    """The patch embedding and [CLS] vector, and SigLIP's attention-pooling head."""
    embed: tuple[Linear | Norm | Weight, ...] = (Linear("patch", e.n_channel * prod(e.patch), e.d_model, e.patch_bias),)
    if e.class_token:
        embed += (Weight("cls", (e.d_model,)),)
    parts = [Part("embeddings", LayerGroup("patch embedding", embed, "embedding"))]
    if e.pooling_head:
        d = e.d_model
        pool: tuple[Linear | Norm | Weight, ...] = (
            Weight("probe", (d,)),
            Linear("pool_QKV", d, 3 * d),
            Linear("pool_O", d, d),
            Norm("norm_pool", d, "layernorm"),
            Linear("pool_1", d, e.d_ff),
            Linear("pool_2", e.d_ff, d),
        )
        parts.append(Part("head", LayerGroup("attention pooling", pool)))
    return tuple(parts)


def note_sources(r: Reader) -> None:
    """Point the record's fields at the tower's keys, so findings and what-ifs name them
    (a composite's tower sets no field: there the record is the text model)."""
    keys = {"n_layer": "num_hidden_layers", "d_model": "hidden_size", "d_ff": "intermediate_size"}
    for field, key in (keys | {"n_context": "image_size"}).items():
        r.note(field, key)


def heads_of(r: Reader, default: int = 12) -> int:
    """num_attention_heads, which must split the tower's width evenly."""
    n_head = r.integer("num_attention_heads", default, field="n_head", minimum=1)
    d_model = r.integer("hidden_size", 768, minimum=1)
    if d_model % n_head:
        r.fail("num_attention_heads", f"hidden_size ({d_model}) is not a multiple of num_attention_heads ({n_head})")
    return n_head
