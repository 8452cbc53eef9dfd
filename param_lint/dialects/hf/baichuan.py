"""baichuan: Baichuan-13B and Baichuan2-7B/13B, remote code `BaichuanForCausalLM`
(auto_map -> modeling_baichuan). An alias: architecturally Llama (see llama) with W_Q, W_K
and W_V fused in one bias-free `W_pack`, counted as that model.

The keys are BaichuanConfig's (defaults: Baichuan-13B's 64,000-token vocabulary, 5120 wide,
40 layers); every head has its own keys and values, and the attention is hidden_size wide
(the code refuses heads that do not divide it). Baichuan2's lm_head is a `NormHead`, which
normalises its (vocab, hidden) weight in the forward pass: still one matrix, tied to the
embedding when `tie_word_embeddings` says so. Positions hold no parameters: ALiBi in the
13B models (whose config has no `max_position_embeddings`), rotary in the 7B ones.
"""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import head_width

# The supported family this remote-code type is (hf.aliases, the PL102 message).
ALIAS_OF = "llama"

# BaichuanConfig's defaults (configuration_baichuan.py of Baichuan2-13B).
BAICHUAN_DEFAULTS = {
    "vocab_size": 64000,
    "hidden_size": 5120,
    "intermediate_size": 13696,
    "num_hidden_layers": 40,
    "num_attention_heads": 40,
    "tie_word_embeddings": False,
}


def architecture(r: Reader) -> Architecture:
    d = BAICHUAN_DEFAULTS
    d_model = r.integer("hidden_size", d["hidden_size"], field="d_model", minimum=1)
    n_head = r.integer("num_attention_heads", d["num_attention_heads"], field="n_head", minimum=1)
    rotary = "max_position_embeddings" in r.data
    return Architecture(
        n_vocab=r.integer("vocab_size", d["vocab_size"], field="n_vocab", minimum=1),
        n_layer=r.integer("num_hidden_layers", d["num_hidden_layers"], field="n_layer", minimum=1),
        d_model=d_model,
        n_head=n_head,
        d_head=head_width(r, d_model, n_head, ("hidden_size", "num_attention_heads")),
        n_kv_head=n_head,
        d_ff=r.integer("intermediate_size", d["intermediate_size"], field="d_ff", minimum=1),
        position_embedding="rotary" if rotary else "alibi",
        tie_embeddings=r.boolean("tie_word_embeddings", d["tie_word_embeddings"], field="tie_embeddings"),
        qkv_bias=False,
        out_bias=False,
        mlp="gated",
        mlp_bias=False,
        norm="rmsnorm",
    )
