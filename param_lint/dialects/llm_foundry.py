"""llm-foundry: training YAML whose `model:` names its class (`name: mpt_causal_lm`, `hf_causal_lm`).

`mpt_causal_lm` is llm-foundry's MPT, counted with MPTConfig's defaults, which are not
transformers': `no_bias` is false (biases on every projection and LayerNorm), positions are
learned (`max_seq_len` rows) unless `attn_config` turns on `alibi` or `rope`, the MLP is
`expansion_ratio * d_model` wide (`ffn_config.ffn_hidden_size` when given; `ffn_type:
mptglu` makes it gated), attention is multi-head unless `attn_config.attn_type` says
multiquery or grouped-query (`kv_n_heads`), and the unembedding is tied unless
`tie_word_embeddings: false`. `${variables.x}` references are resolved within the file.
`hf_causal_lm` loads its architecture from `pretrained_model_name_or_path`, which is not in
the file: recognised, not counted (declare nothing, or count that model's config.json).
`ffn_type: mb_dmoe` is megablocks' dropless MoE (`megablocks.layers.dmoe.dMoE`, built as
llm-foundry's `config_megablocks_moe_args` builds its Arguments): in every block a
bias-free router (d_model x moe_num_experts), moe_num_experts experts of `ffn_hidden_size`
(else expansion_ratio x d_model) with w1, w2 (and v1 for `mlp_type: glu`), no bias per
expert, and one d_model bias after the experts combine unless `no_bias`. Megablocks'
dropping MoE (`mb_moe`), Transformer Engine blocks and q/k norms are recognised and not
counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..architecture import Architecture
from . import CannotCount, Dialect, Facts, ModelConfig, Reader
from .interpolation import Resolver, Unresolved

MPT = "mpt_causal_lm"
HF = ("hf_causal_lm", "hf_t5", "hf_prefix_lm")
TRAINING_KEYS = ("variables", "max_seq_len", "train_loader", "optimizer", "max_duration", "tokenizer")
NORMS = {
    "low_precision_layernorm": "layernorm",
    "layernorm": "layernorm",
    "rmsnorm": "rmsnorm",
    "low_precision_rmsnorm": "rmsnorm",
}


def recognise(data: dict[str, Any]) -> bool:
    model = data.get("model")
    return (
        isinstance(model, Mapping)
        and isinstance(model.get("name"), str)
        and (model["name"] == MPT or model["name"] in HF)
        and any(key in data for key in TRAINING_KEYS)
    )


def read(top: Reader, facts: Facts) -> ModelConfig:
    model = top.mapping("model")
    name = model.string("name")
    # `${variables.x}` is OmegaConf interpolation, resolved by the Megatron family's resolver
    resolved = Resolver(top.data).resolved_tree(model.base)
    if name != MPT:
        pretrained = resolved.get("pretrained_model_name_or_path")
        where = f" {pretrained!r}" if isinstance(pretrained, str) else ""
        raise CannotCount(
            model.path("name"),
            f"{name} takes its architecture from the pretrained model{where}, which is not in the file; "
            "param-lint counts that model's config.json",
        )
    r = Reader(resolved, model.base, top.sources)
    unresolved = [key for key, value in resolved.items() if isinstance(value, Unresolved)]
    if unresolved:
        raise CannotCount(
            r.path(unresolved[0]),
            f"{unresolved[0]} is {model.data[unresolved[0]]!r}: an interpolation param-lint cannot resolve",
        )
    return ModelConfig("llm-foundry", mpt(r), top.sources, family=name)


def mpt(r: Reader) -> Architecture:
    d_model = r.integer("d_model", 2048, field="d_model", minimum=1)
    n_head = r.integer("n_heads", 16, field="n_head", minimum=1)
    if d_model % n_head:
        r.fail("n_heads", f"d_model ({d_model}) is not a multiple of n_heads ({n_head})")
    r.note("d_head", "d_model")
    attn = r.mapping("attn_config")
    for key in ("qk_ln", "qk_gn"):
        if attn.boolean(key, False):
            raise CannotCount(attn.path(key), f"{key} (q/k norms) is not counted")
    kind = attn.string(
        "attn_type",
        "multihead_attention",
        field="n_kv_head",
        choices=("multihead_attention", "multiquery_attention", "grouped_query_attention"),
    )
    n_kv_head = {"multihead_attention": n_head, "multiquery_attention": 1}.get(kind)
    if n_kv_head is None:
        n_kv_head = attn.integer("kv_n_heads", n_head, field="n_kv_head", minimum=1)
        if n_head % n_kv_head:
            attn.fail("kv_n_heads", f"n_heads ({n_head}) is not a multiple of kv_n_heads ({n_kv_head})")
    ffn = r.mapping("ffn_config")
    ffn_type = ffn.string("ffn_type", "mptmlp", field="mlp")
    if ffn_type not in ("mptmlp", "mptglu", "mb_dmoe"):
        raise CannotCount(
            ffn.path("ffn_type"),
            f"ffn_type {ffn_type!r} is not counted; param-lint counts mptmlp, mptglu and mb_dmoe",
        )
    moe = _dmoe(ffn) if ffn_type == "mb_dmoe" else {}
    if ffn.has("ffn_hidden_size"):
        d_ff = ffn.integer("ffn_hidden_size", field="d_ff", minimum=1)
    else:
        ratio = r.number("expansion_ratio", 4, field="d_ff")
        if ratio * d_model != int(ratio * d_model):
            r.fail(
                "expansion_ratio", f"expansion_ratio * d_model = {ratio * d_model} is not a whole number of features"
            )
        d_ff = int(ratio * d_model)
        r.note("d_ff", "d_model")
    bias = not r.boolean("no_bias", False, field="qkv_bias")
    for field in ("out_bias", "mlp_bias", "norm_bias"):
        r.note(field, "no_bias")
    norm_type = r.string("norm_type", "low_precision_layernorm", field="norm", choices=tuple(NORMS))
    learned = r.boolean("learned_pos_emb", True, field="position_embedding")
    alibi = attn.boolean("alibi", False, field="position_embedding")
    rope = attn.boolean("rope", False, field="position_embedding")
    position = "alibi" if alibi else "rotary" if rope else "learned" if learned else "none"
    gated = ffn_type == "mptglu" or moe.pop("gated", False)
    if moe:
        moe["d_ff_expert"] = d_ff
    return Architecture(
        n_vocab=r.integer("vocab_size", 50368, field="n_vocab", minimum=1),
        n_layer=r.integer("n_layers", 24, field="n_layer", minimum=1),
        d_model=d_model,
        n_head=n_head,
        d_head=d_model // n_head,
        n_kv_head=n_kv_head,
        d_ff=d_ff,
        n_context=r.integer("max_seq_len", 2048, field="n_context", minimum=1) if position == "learned" else 0,
        position_embedding=position,
        tie_embeddings=r.boolean("tie_word_embeddings", True, field="tie_embeddings"),
        qkv_bias=bias,
        out_bias=bias,
        mlp="gated" if gated else "standard",
        mlp_bias=bias,
        norm=NORMS[norm_type],
        norm_bias=bias,
        expert_bias="output" if bias else "none",
        **moe,
    )


def _dmoe(ffn: Reader) -> dict[str, Any]:
    """The MoE fields of megablocks' dMoE from `ffn_config` (megablocks' Arguments defaults)."""
    n_expert = ffn.integer("moe_num_experts", 1, field="n_expert", minimum=1)
    top_k = ffn.integer("moe_top_k", 1, field="n_expert_per_token", minimum=1)
    if top_k > n_expert:
        ffn.fail("moe_top_k", f"moe_top_k ({top_k}) is more than moe_num_experts ({n_expert})")
    mlp_type = ffn.string("mlp_type", "mlp", field="mlp", choices=("mlp", "glu"))
    if ffn.has("shared_expert") and ffn.boolean("shared_expert"):
        raise CannotCount(ffn.path("shared_expert"), "megablocks' shared expert is not counted")
    return {"n_expert": n_expert, "n_expert_per_token": top_k, "gated": mlp_type == "glu"}


DIALECT: Dialect = Dialect(
    name="llm-foundry",
    description="llm-foundry training YAML: model.name mpt_causal_lm (hf_causal_lm is recognised, not counted)",
    recognise=recognise,
    read=read,
    hints=("expansion_ratio", "attn_config"),
    declarations_in_file=False,
)
