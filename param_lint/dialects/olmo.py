"""OLMo trainer YAML (allenai/OLMo `configs/**/*.yaml`): the `model:` block of its TrainConfig.

Conventions of OLMo's ModelConfig: the MLP's input projection is `mlp_hidden_size` wide, or
`mlp_ratio * d_model` (default 4); with `activation_type: swiglu` it holds both halves, so
each of the gated MLP's matrices is half that wide. The embedding has `embedding_size` rows
(the vocabulary padded for speed; `vocab_size` when unset), and so has the unembedding,
which `weight_tying` shares with it. `include_bias` (default true) puts biases on every
projection, the unembedding too; K and V have `n_kv_heads` heads (unset: one with
`multi_query_attention`, else `n_heads`), except in `block_type: llama`, which reads
`multi_query_attention` alone; a norm has a weight only with `layer_norm_with_affine`
(q/k norms: `attention_layer_norm_with_affine`) and a bias when `bias_for_layer_norm`
(unset: `include_bias`) says so, RMS norms included. Neither rotary (`rope`) nor ALiBi
(`alibi`): a learned position matrix of `max_sequence_length` rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..architecture import Architecture
from . import CannotCount, Dialect, Facts, ModelConfig, Reader

# olmo.config.ModelConfig defaults (ai2-olmo 0.6.0) for the keys that decide a count.
DEFAULTS: dict[str, Any] = {
    "d_model": 768,
    "n_heads": 12,
    "n_kv_heads": None,
    "n_layers": 12,
    "mlp_ratio": 4,
    "mlp_hidden_size": None,
    "activation_type": "swiglu",
    "block_type": "sequential",
    "alibi": False,
    "rope": False,
    "multi_query_attention": None,
    "attention_layer_norm": False,
    "attention_layer_norm_with_affine": True,
    "layer_norm_type": "default",
    "layer_norm_with_affine": True,
    "bias_for_layer_norm": None,
    "include_bias": True,
    "embedding_layer_norm": False,
    "max_sequence_length": 1024,
    "vocab_size": 50257,
    "embedding_size": 50304,
    "weight_tying": True,
}
# OLMo keys a param-lint native `model:` block never has.
SIGNATURE = ("n_heads", "n_layers")
MARKERS = (
    "mlp_ratio",
    "mlp_hidden_size",
    "weight_tying",
    "include_bias",
    "block_type",
    "layer_norm_type",
    "embedding_size",
    "activation_type",
    "attention_layer_norm",
    "rope",
    "alibi",
)
ACTIVATIONS = {"swiglu": ("gated", 2), "gelu": ("standard", 1), "relu": ("standard", 1)}


def recognise(data: dict[str, Any]) -> bool:
    model = data.get("model")
    return (
        isinstance(model, Mapping)
        and "name" not in model  # llm-foundry's model block names its class
        and all(key in model for key in SIGNATURE)
        and any(key in model for key in MARKERS)
    )


def read(top: Reader, facts: Facts) -> ModelConfig:
    r = top.mapping("model")
    d = DEFAULTS
    block = r.string("block_type", d["block_type"], choices=("sequential", "llama"))
    d_model = r.integer("d_model", d["d_model"], field="d_model", minimum=1)
    n_head = r.integer("n_heads", d["n_heads"], field="n_head", minimum=1)
    if d_model % n_head:
        r.fail("n_heads", f"d_model ({d_model}) is not a multiple of n_heads ({n_head})")
    r.note("d_head", "d_model")
    multi_query = (
        r.boolean("multi_query_attention", False, field="n_kv_head") if r.has("multi_query_attention") else None
    )
    if block == "sequential" and r.has("n_kv_heads"):
        n_kv_head = r.integer("n_kv_heads", field="n_kv_head", minimum=1)
        if multi_query is not None and n_kv_head != (1 if multi_query else n_head):
            r.fail("n_kv_heads", f"n_kv_heads ({n_kv_head}) contradicts multi_query_attention ({multi_query})")
    else:  # the llama block sizes K and V by multi_query_attention alone
        n_kv_head = 1 if multi_query else n_head
    activation = r.string("activation_type", d["activation_type"], field="mlp", choices=tuple(ACTIVATIONS))
    mlp, halves = ACTIVATIONS[activation]
    if r.has("mlp_hidden_size"):
        hidden = r.integer("mlp_hidden_size", field="d_ff", minimum=1)
    else:
        hidden = r.integer("mlp_ratio", d["mlp_ratio"], field="d_ff", minimum=1) * d_model
        r.note("d_ff", "d_model")
    if hidden % halves:
        r.fail(
            "mlp_hidden_size" if r.has("mlp_hidden_size") else "mlp_ratio",
            f"swiglu needs an even MLP width, got {hidden}",
        )
    bias = r.boolean("include_bias", d["include_bias"], field="qkv_bias")
    for field in ("out_bias", "mlp_bias", "lm_head_bias"):
        r.note(field, "include_bias")
    norm_bias = r.boolean("bias_for_layer_norm", bias, field="norm_bias") if r.has("bias_for_layer_norm") else bias
    affine = r.boolean("layer_norm_with_affine", d["layer_norm_with_affine"], field="norm")
    kind = r.string("layer_norm_type", d["layer_norm_type"], field="norm", choices=("default", "low_precision", "rms"))
    # An RMS norm with a bias has a layernorm's two vectors: the count is the same.
    norm = "none" if not affine else "rmsnorm" if kind == "rms" and not norm_bias else "layernorm"
    qk_norm = "none"
    if r.boolean("attention_layer_norm", d["attention_layer_norm"], field="qk_norm"):
        qk_affine = r.boolean(
            "attention_layer_norm_with_affine", d["attention_layer_norm_with_affine"], field="qk_norm"
        )
        if qk_affine and not affine:
            raise CannotCount(
                r.path("attention_layer_norm_with_affine"),
                "q/k norms with parameters beside block norms without them are not counted",
            )
        qk_norm = "per_head" if qk_affine else "none"
    tie = r.boolean("weight_tying", d["weight_tying"], field="tie_embeddings")
    rope = r.boolean("rope", d["rope"], field="position_embedding")
    alibi = r.boolean("alibi", d["alibi"], field="position_embedding")
    position = "rotary" if rope else "alibi" if alibi else "learned"
    arch = Architecture(
        n_vocab=vocabulary(r),
        n_layer=r.integer("n_layers", d["n_layers"], field="n_layer", minimum=1),
        d_model=d_model,
        n_head=n_head,
        d_head=d_model // n_head,
        n_kv_head=n_kv_head,
        d_ff=hidden // halves,
        n_context=r.integer("max_sequence_length", d["max_sequence_length"], field="n_context")
        if position == "learned"
        else 0,
        position_embedding=position,
        embedding_norm=r.boolean("embedding_layer_norm", d["embedding_layer_norm"], field="embedding_norm"),
        tie_embeddings=tie,
        lm_head_bias=bias and not tie,
        qkv_bias=bias,
        out_bias=bias,
        qk_norm=qk_norm,
        qk_norm_bias=norm_bias,
        mlp=mlp,
        mlp_bias=bias,
        norm=norm,
        norm_bias=norm_bias,
    )
    name = top.data.get("run_name")
    vocab = r.data.get("vocab_size") or DEFAULTS["vocab_size"]
    notes: tuple[str, ...] = ()
    if isinstance(vocab, int) and arch.n_vocab > vocab:
        rows = arch.n_vocab - vocab
        notes = (f"vocabulary {vocab:,} padded to {arch.n_vocab:,} (embedding_size): {rows:,} padding rows",)
    return ModelConfig("olmo", arch, r.sources, name=name if isinstance(name, str) else "", family=block, notes=notes)


def vocabulary(r: Reader) -> int:
    """Rows of the embedding: embedding_size (the padded vocabulary), else vocab_size."""
    vocab = r.integer("vocab_size", DEFAULTS["vocab_size"], field="n_vocab", minimum=1)
    if "embedding_size" in r.data and r.data["embedding_size"] is None:
        return int(vocab)
    size = r.integer("embedding_size", DEFAULTS["embedding_size"], field="n_vocab", minimum=1)
    if size < vocab:
        r.fail("embedding_size", f"embedding_size ({size}) is smaller than vocab_size ({vocab})")
    return int(size)


DIALECT: Dialect = Dialect(
    name="olmo",
    description="OLMo trainer YAML (allenai/OLMo configs): the model block of its TrainConfig",
    recognise=recognise,
    read=read,
    hints=("mlp_ratio", "mlp_hidden_size", "weight_tying"),
    declarations_in_file=False,
)
