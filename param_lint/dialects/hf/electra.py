"""electra: ElectraModel and its task classes (ELECTRA discriminators and generators).

BERT's encoder (bert.py) whose embeddings may be narrower than the stack: with an
embedding_size other than hidden_size, the word, position and token-type embeddings and
their LayerNorm are embedding_size wide and a biased embeddings_project lifts them to
hidden_size (`factorized_embeddings`). There is no pooler. ElectraForPreTraining (the
discriminator) ends in a dense layer and a one-logit dense_prediction; ElectraForMaskedLM
(the generator) in a dense layer down to embedding_size, a LayerNorm, and the lm_head tied
to the word embedding with its bias.
"""

from __future__ import annotations

from ...architecture import Architecture
from ...parts import LayerGroup, Linear, Norm, Part, Weight
from .. import Reader
from .common import model_width_dimensions
from .encoders import Head, encoder, head_of, head_parts

HEADS = {
    "ElectraModel": Head(),
    "ElectraForPreTraining": Head(classifier=1, dense=True),
    "ElectraForMaskedLM": Head(mlm=True),
    "ElectraForCausalLM": Head(mlm=True),
    "ElectraForSequenceClassification": Head(classifier="labels", dense=True),
    "ElectraForTokenClassification": Head(classifier="labels"),
    "ElectraForQuestionAnswering": Head(classifier="labels"),
}


def _head(r: Reader) -> Head:
    return head_of(r, HEADS, "ElectraForPreTraining")[1]


def architecture(r: Reader) -> Architecture:
    dims = model_width_dimensions(
        r,
        {
            "n_vocab": ("vocab_size", 30522),
            "n_layer": ("num_hidden_layers", 12),
            "d_model": ("hidden_size", 256),
            "n_head": ("num_attention_heads", 4),
            "d_ff": ("intermediate_size", 1024),
            "n_context": ("max_position_embeddings", 512),
        },
    )
    d_embed = r.integer("embedding_size", 128, field="d_embed", minimum=1)
    r.string("position_embedding_type", "absolute", field="position_embedding", choices=("absolute",))
    d_embed = None if d_embed == dims["d_model"] else d_embed
    return encoder(r, dims, _head(r).mlm, d_embed=d_embed, factorized_embeddings=True)


def parts(r: Reader) -> tuple[Part, ...]:
    head = _head(r)
    a = architecture(r)
    n_type = r.integer("type_vocab_size", 2, minimum=1)
    token_types = Part("embeddings", LayerGroup("token types", (Weight("W_T", (n_type, a.d_token)),), "embedding"))
    if not head.mlm:
        return (token_types, *head_parts(r, head, a.d_model))
    transform = (Linear("mlm", a.d_model, a.d_token), Norm("norm_mlm", a.d_token, "layernorm"))
    return (token_types, Part("head", LayerGroup("MLM transform", transform)))
