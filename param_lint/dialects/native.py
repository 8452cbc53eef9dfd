"""The native format: a `model:` mapping in the article's names (see README, "Config format")."""

from __future__ import annotations

from typing import Any

from ..architecture import Architecture
from . import Dialect, Facts, ModelConfig, Reader, declarations

# Keys of `model:` in the article's names, and keys that mark another format's `model:` mapping
# (llm-foundry's `name: mpt_causal_lm`, levanter's `type: llama`, Hydra, Lightning).
SIGNATURE_KEYS = frozenset({"n_vocab", "n_layer", "d_model", "n_head", "d_head", "n_kv_head", "d_ff", "n_context"})
FOREIGN_KEYS = frozenset({"name", "type", "_target_", "class_path", "model_type", "pretrained_model_name_or_path"})

BIAS_SITES = ("qkv", "out", "mlp", "lm_head", "router")
BIAS_DEFAULTS = {"qkv": True, "out": True, "mlp": True, "lm_head": False, "router": False}


def recognise(data: dict[str, Any]) -> bool:
    """`model:` with two or more of the article's names, or a file that says it is ours.

    `model:` alone is no signature: Hydra (`model: {_target_: ...}`), Lightning
    (`model: {class_path: ...}`), llm-foundry (`name: mpt_causal_lm`) and plain
    `model: gpt-4o` files have one too, and OLMo's and MPT's `model:` share `d_model` alone
    with ours (their other keys are `n_heads`, `n_layers`). A `$schema` naming param-lint's
    schema, or a declared `expected_params` beside `model:`, marks the file as ours even when
    its keys are wrong (so the schema can say which).
    """
    if "model" not in data:
        return False
    model = data["model"]
    if (
        isinstance(model, dict)
        and len(SIGNATURE_KEYS.intersection(model)) >= 2
        and not FOREIGN_KEYS.intersection(model)
    ):
        return True
    schema = data.get("$schema")
    marked = isinstance(schema, str) and "model-config.schema" in schema
    return marked or "expected_params" in data or "weights" in data


def read(top: Reader, facts: Facts) -> ModelConfig:
    """The architecture under `model:` and the declarations beside it."""
    r = top.mapping("model")
    n_vocab = r.integer("n_vocab", field="n_vocab", minimum=1)
    n_layer = r.integer("n_layer", field="n_layer", minimum=1)
    d_model = r.integer("d_model", field="d_model", minimum=1)
    n_head = r.integer("n_head", field="n_head", minimum=1)
    if not r.has("d_head") and d_model % n_head:
        r.fail("n_head", f"d_model ({d_model}) is not a multiple of n_head ({n_head}); give d_head explicitly")
    d_head = r.integer("d_head", d_model // n_head, field="d_head", minimum=1)
    n_kv_head = r.integer("n_kv_head", n_head, field="n_kv_head", minimum=1)
    d_ff = r.integer("d_ff", 4 * d_model, field="d_ff", minimum=1)

    position = r.string("position_embedding", "learned", field="position_embedding")
    if position == "learned" and not r.has("n_context"):
        r.fail("position_embedding", "n_context is needed: learned positions have n_context rows (W_P)")
    n_context = r.integer("n_context", 0, field="n_context")

    bias = _biases(r)
    norm = r.string("norm", "layernorm", field="norm")
    arch = Architecture(
        n_vocab=n_vocab,
        n_layer=n_layer,
        d_model=d_model,
        n_head=n_head,
        d_head=d_head,
        n_kv_head=n_kv_head,
        d_ff=d_ff,
        n_context=n_context,
        position_embedding=position,
        position_offset=r.integer("position_offset", 0, field="position_offset"),
        d_embed=r.integer("d_embed", None, field="d_embed", minimum=1),
        embedding_norm=r.boolean("embedding_norm", False, field="embedding_norm"),
        tie_embeddings=r.boolean("tie_embeddings", True, field="tie_embeddings"),
        lm_head_bias=bias["lm_head"],
        qkv_bias=bias["qkv"],
        out_bias=bias["out"],
        qk_norm=r.string("qk_norm", "none", field="qk_norm"),
        qk_norm_bias=r.boolean("qk_norm_bias", False, field="qk_norm_bias"),
        mlp=r.string("mlp", "standard", field="mlp"),
        mlp_bias=bias["mlp"],
        norm=norm,
        norm_bias=r.boolean("norm_bias", True, field="norm_bias"),
        norms_per_layer=r.integer("norms_per_layer", 2, field="norms_per_layer"),
        final_norm=r.boolean("final_norm", norm != "none", field="final_norm"),
        router_bias=bias["router"],
        n_encoder_layer=r.integer("n_encoder_layer", 0, field="n_encoder_layer"),
        relative_attention_buckets=r.integer("relative_attention_buckets", 0, field="relative_attention_buckets"),
        **_moe(r.mapping("moe"), d_ff, n_layer),
        **_latent_attention(r.mapping("latent_attention"), d_head),
    )
    return ModelConfig("native", arch, r.sources, **declarations(top))


def _biases(r: Reader) -> dict[str, bool]:
    """`bias: true|false` for every linear layer, or a mapping per site."""
    if not r.has("bias"):
        return dict(BIAS_DEFAULTS)
    value = r.data["bias"]
    if isinstance(value, bool):
        r.sources["bias"] = r.path("bias")
        return {site: value and BIAS_DEFAULTS[site] for site in BIAS_SITES}
    sites = r.mapping("bias")
    return {site: sites.boolean(site, BIAS_DEFAULTS[site], field=f"{site}_bias") for site in BIAS_SITES}


def _moe(r: Reader, d_ff: int, n_layer: int) -> dict[str, Any]:
    if not r.data:
        return {}
    n_expert = r.integer("n_expert", field="n_expert", minimum=1)
    n_expert_per_token = r.integer("n_expert_per_token", field="n_expert_per_token", minimum=1)
    if n_expert_per_token > n_expert:
        r.fail("n_expert_per_token", f"n_expert_per_token ({n_expert_per_token}) exceeds n_expert ({n_expert})")
    n_dense_layer = r.integer("n_dense_layer", 0, field="n_dense_layer")
    if n_dense_layer > n_layer:
        r.fail("n_dense_layer", f"n_dense_layer ({n_dense_layer}) exceeds n_layer ({n_layer})")
    return {
        "n_expert": n_expert,
        "n_expert_per_token": n_expert_per_token,
        "d_ff_expert": r.integer("d_ff_expert", d_ff, field="d_ff_expert", minimum=1),
        "d_ff_shared": r.integer("d_ff_shared", 0, field="d_ff_shared"),
        "shared_expert_gate": r.boolean("shared_expert_gate", False, field="shared_expert_gate"),
        "n_dense_layer": n_dense_layer,
    }


def _latent_attention(r: Reader, d_head: int) -> dict[str, Any]:
    if not r.data:
        return {}
    d_head_rope = r.integer("d_head_rope", 0, field="d_head_rope")
    if d_head_rope > d_head:
        r.fail("d_head_rope", f"d_head_rope ({d_head_rope}) exceeds d_head ({d_head})")
    return {
        "q_lora_rank": r.integer("q_lora_rank", 0, field="q_lora_rank") or None,
        "kv_lora_rank": r.integer("kv_lora_rank", field="kv_lora_rank", minimum=1),
        "d_head_rope": d_head_rope,
        "d_head_v": r.integer("d_head_v", None, field="d_head_v", minimum=1),
    }


def _schema_checks(document):
    from ..schema import near_miss_top_level_keys

    return near_miss_top_level_keys(document)


DIALECT: Dialect = Dialect(
    name="native",
    description="param-lint's own format (`model:` with n_layer, d_model, n_head, n_vocab ...)",
    recognise=recognise,
    read=read,
    schema="model-config.schema.json",
    hints=("n_layer", "d_model", "n_head", "n_vocab", "expected_params"),
    extra_checks=_schema_checks,
)
