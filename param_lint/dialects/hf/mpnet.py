"""mpnet: MPNetModel and its task classes (MPNet, and the sentence-transformers built on it).

RoBERTa's encoder (roberta.py) without token-type embeddings: word and learned position
embeddings (max_position_embeddings rows, padding offsets included) and a LayerNorm,
post-LN blocks with biases everywhere, and what the flat record has no field for as a
part: the relative position bias shared by all layers, relative_attention_num_buckets rows
of one value per head. MPNetModel adds the pooler; the MLM head is RoBERTa's (dense,
LayerNorm, the tied decoder and its bias); the sequence classifier a dense and an out_proj.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Part, Weight
from .. import Reader
from .common import model_width_dimensions
from .encoders import encoder, head_of, head_parts
from .roberta import heads

HEADS = {name: head for name, head in heads("MPNet").items() if name != "MPNetForCausalLM"}  # none in transformers


def architecture(r: Reader) -> Architecture:
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", 30527),
            "n_layer": ("num_hidden_layers", 12),
            "d_model": ("hidden_size", 768),
            "n_head": ("num_attention_heads", 12),
            "d_ff": ("intermediate_size", 3072),
            "n_context": ("max_position_embeddings", 514),
        },
    )
    return encoder(r, dims, head_of(r, HEADS, "MPNetForMaskedLM")[1].mlm)


def parts(r: Reader) -> tuple[Part, ...]:
    head = head_of(r, HEADS, "MPNetForMaskedLM")[1]
    a = architecture(r)
    buckets = r.integer("relative_attention_num_buckets", 32, minimum=1)
    bias = Part("encoder", LayerGroup("relative position bias", (Weight("R_bias", (buckets, a.n_head)),), "attention"))
    return (bias, *head_parts(r, head, a.d_model))
