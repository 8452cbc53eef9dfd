"""OLMo-core config dumps: a `TransformerConfig` as `as_config_dict()` writes it (`_CLASS_` keys).

OLMo-core saves the experiment config (JSON or YAML) with the model under `model:`; the
model config alone is accepted too. The count follows `TransformerConfig.num_params`:
the embedding (vocab_size rows, no padding), `n_layers` blocks and the LM head. A block
is attention (`sequence_mixer`, `attention` in older releases: Q/K/V/O with `bias`,
`n_kv_heads`, `head_dim`, q/k norms over the full projected widths, or one head wide with
`use_head_qk_norm`), a gated feed-forward of `hidden_size` (w1, w3, w2), and a
`layer_norm` before each (the `reordered_norm` block puts them after; `peri_norm` has
both). A norm has a weight unless `elementwise_affine` is false, and a bias unless `bias`
is false (None means true, as in LayerNormConfig). The LM head has its own `layer_norm`
(the final norm) and `bias`; `tie_word_embeddings` shares the embedding. Mixture-of-experts
blocks, gated attention, per-layer block dicts and the normalized (nGPT) variants are
recognised and not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..architecture import Architecture
from . import CannotCount, Dialect, Facts, ModelConfig, Reader

CLASS = "olmo_core.nn.transformer.config.TransformerConfig"
BLOCKS = {"default": 2, "reordered_norm": 2, "peri_norm": 4}


def model_of(data: Mapping[str, Any]) -> tuple[Mapping[str, Any] | None, bool]:
    """The TransformerConfig mapping, and whether it sits under `model:`."""
    if data.get("_CLASS_") == CLASS:
        return data, False
    model = data.get("model")
    if isinstance(model, Mapping) and (
        model.get("_CLASS_") == CLASS or {"d_model", "vocab_size", "n_layers", "block", "lm_head"} <= model.keys()
    ):
        return model, True
    return None, False


def recognise(data: dict[str, Any]) -> bool:
    return model_of(data)[0] is not None


def norm_params(r: Reader, key: str) -> tuple[bool, bool] | None:
    """(weight, bias) of the LayerNormConfig at `key`; None when there is no norm."""
    if not r.has(key):
        return None
    norm = r.mapping(key)
    name = norm.string("name", "default")
    l2 = name == "l2_norm"
    affine = norm.boolean("elementwise_affine", not l2) if norm.has("elementwise_affine") else not l2
    bias = norm.boolean("bias", not l2) if norm.has("bias") else not l2
    return affine, affine and bias


def read(top: Reader, facts: Facts) -> ModelConfig:
    r = top.mapping("model") if model_of(top.data)[1] else top
    kind = r.string("name", "default")
    if kind != "default":
        raise CannotCount(
            r.path("name"), f"TransformerConfig name {kind!r} is not counted; param-lint counts 'default'"
        )
    block = r.data.get("block")
    if (
        not isinstance(block, Mapping)
        or "_CLASS_" not in block
        and ("sequence_mixer" not in block and "attention" not in block)
    ):
        raise CannotCount(r.path("block"), "a block per layer (a dict of block configs) is not counted")
    b = r.mapping("block")
    block_name = b.string("name", "default", field="norms_per_layer")
    if block_name not in BLOCKS:
        raise CannotCount(b.path("name"), f"block {block_name!r} is not counted; param-lint counts {', '.join(BLOCKS)}")
    if b.has("feed_forward_moe"):
        raise CannotCount(b.path("feed_forward_moe"), "mixture-of-experts blocks are not counted")
    a = b.mapping("sequence_mixer" if b.has("sequence_mixer") else "attention")
    if a.string("name", "default") == "normalized" or a.has("gate"):
        raise CannotCount(a.base, "normalized or gated attention is not counted")
    d_model = r.integer("d_model", field="d_model", minimum=1)
    n_head = a.integer("n_heads", field="n_head", minimum=1)
    d_head = a.integer("head_dim", d_model // n_head, field="d_head", minimum=1)
    if not a.has("head_dim"):
        r.note("d_head", "d_model")
    bias = a.boolean("bias", True, field="qkv_bias")
    a.note("out_bias", "bias")
    ff = b.mapping("feed_forward")
    if ff.string("name", "default") != "default":
        raise CannotCount(ff.path("name"), "only the default feed-forward is counted")
    block_norm = norm_params(b, "layer_norm")
    final_norm = norm_params(r.mapping("lm_head"), "layer_norm")
    embedding_norm = norm_params(r, "embedding_norm")
    qk = norm_params(a, "qk_norm")
    weight, norm_bias = block_norm or (False, False)
    for other, key in ((final_norm, "lm_head"), (embedding_norm, "embedding_norm"), (qk, "qk_norm")):
        if other is not None and other[0] and other != (weight, norm_bias):
            raise CannotCount(r.path(key), f"the {key} norm differs from the block norms; param-lint counts one kind")
    qk_norm = "none"
    if qk is not None and qk[0]:
        per_head_gains = a.boolean("qk_norm_per_head_gains", False)
        qk_norm = "head" if a.boolean("use_head_qk_norm", False, field="qk_norm") and not per_head_gains else "per_head"
    lm_head = r.mapping("lm_head")
    arch = Architecture(
        n_vocab=r.integer("vocab_size", field="n_vocab", minimum=1),
        n_layer=r.integer("n_layers", field="n_layer", minimum=1),
        d_model=d_model,
        n_head=n_head,
        d_head=d_head,
        n_kv_head=a.integer("n_kv_heads", n_head, field="n_kv_head", minimum=1),
        d_ff=ff.integer("hidden_size", field="d_ff", minimum=1),
        position_embedding="rotary" if a.has("rope") else "none",
        embedding_norm=bool(embedding_norm and embedding_norm[0]),
        tie_embeddings=r.boolean("tie_word_embeddings", False, field="tie_embeddings"),
        lm_head_bias=lm_head.boolean("bias", True, field="lm_head_bias"),
        qkv_bias=bias,
        out_bias=bias,
        qk_norm=qk_norm,
        qk_norm_bias=norm_bias,
        mlp="gated",
        mlp_bias=ff.boolean("bias", True, field="mlp_bias"),
        norm="layernorm" if weight else "none",
        norm_bias=norm_bias,
        norms_per_layer=BLOCKS[block_name] if block_norm is not None else 0,
        final_norm=bool(final_norm and final_norm[0]),
    )
    return ModelConfig("olmo-core", arch, top.sources, family=block_name)


DIALECT: Dialect = Dialect(
    name="olmo-core",
    description="OLMo-core config dumps: a TransformerConfig (`_CLASS_` keys), alone or under `model:`",
    recognise=recognise,
    read=read,
    hints=("sequence_mixer", "feed_forward_moe", "_CLASS_"),
    declarations_in_file=False,
)
