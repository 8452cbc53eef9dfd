"""Readers shared by the Hugging Face families.

A family module copies the defaults of its transformers config class into a dict keyed by
the config's own key names, and maps the keys onto Architecture fields with these helpers.
transformers tells an absent key (the class default) from an explicit `null` (which the
class's `__post_init__` usually replaces, e.g. num_key_value_heads -> num_attention_heads),
so the helpers do too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ...architecture import Architecture
from .. import Reader

# Defaults of LlamaConfig; other Llama-like families list their own.
LLAMA_DEFAULTS: dict[str, Any] = {
    "vocab_size": 32000,
    "hidden_size": 4096,
    "intermediate_size": 11008,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": None,  # None: as many as num_attention_heads
    "head_dim": None,  # None: hidden_size // num_attention_heads
    "max_position_embeddings": 2048,
    "tie_word_embeddings": False,
}


def key_of(r: Reader, keys: str | Sequence[str]) -> str:
    """The first of `keys` the file gives: a config's name and its transformers
    attribute_map aliases (GPT-2's n_embd is also hidden_size); the first when none is."""
    if isinstance(keys, str):
        return keys
    return next((key for key in keys if r.has(key)), keys[0])


_ABSENT: Any = object()


def read_int(
    r: Reader, keys: str | Sequence[str], default: Any, field: str, minimum: int = 1, null: Any = _ABSENT
) -> Any:
    """An int under `keys`: `default` when absent, `null` (if given) when the file says null."""
    key = key_of(r, keys)
    if null is not _ABSENT and key in r.data and r.data[key] is None:
        r.sources[field] = r.path(key)
        return null
    return r.integer(key, default, field=field, minimum=minimum)


def read_bool(r: Reader, keys: str | Sequence[str], default: bool, field: str) -> bool:
    return r.boolean(key_of(r, keys), default, field=field)


def truth(r: Reader, key: str, default: bool, field: str | None = None) -> bool:
    """A flag the modeling code tests for truth (`if config.key:`): absent is `default`, but a
    null the config keeps is false, as transformers 4.57.6 builds it (5.24.0's strict
    config classes refuse it)."""
    if key in r.data and r.data[key] is None:
        if field is not None:
            r.sources[field] = r.path(key)
        return False
    return bool(r.boolean(key, default, field=field))


def read_ints(r: Reader, spec: Mapping[str, tuple[str | Sequence[str], Any]]) -> dict[str, Any]:
    """Architecture field -> (key or aliases, default) read as ints; n_context may be 0."""
    return {
        field: read_int(r, keys, default, field, minimum=0 if field == "n_context" else 1)
        for field, (keys, default) in spec.items()
    }


def head_width(r: Reader, d_model: int, n_head: int, keys: tuple[str | Sequence[str], str | Sequence[str]]) -> int:
    """d_model // n_head for families whose attention projections are d_model wide.

    Their Q, K, V and O matrices are (d_model, d_model) whatever n_head is, so the count
    is n_head * d_head only when n_head divides d_model; transformers cannot run otherwise.
    """
    if d_model % n_head:
        r.fail(
            key_of(r, keys[1]), f"{key_of(r, keys[0])} ({d_model}) is not a multiple of {key_of(r, keys[1])} ({n_head})"
        )
    r.note("d_head", key_of(r, keys[0]))
    return d_model // n_head


def model_width_dimensions(r: Reader, spec: Mapping[str, tuple[str | Sequence[str], Any]]) -> dict[str, Any]:
    """read_ints(spec) for a family whose attention is d_model wide (GPT-2, BLOOM, OPT ...):
    d_head is d_model // n_head (see head_width) and, unless `spec` says otherwise,
    every head has its own keys and values."""
    dims = read_ints(r, spec)
    dims["d_head"] = head_width(r, dims["d_model"], dims["n_head"], (spec["d_model"][0], spec["n_head"][0]))
    dims.setdefault("n_kv_head", dims["n_head"])
    return dims


def dimensions(r: Reader, defaults: Mapping[str, Any], given: Collection[str] = ()) -> dict[str, Any]:
    """The widths every Llama-like config names the same way, with the family's defaults.

    Only the keys `defaults` lists are read, and no field in `given` (the family sets it).
    With a `head_dim` key (most modeling code honours one) an absent or null head_dim is
    hidden_size // num_attention_heads; without one the attention is hidden_size wide and
    must split evenly (see head_width). Without a `num_key_value_heads` key every head
    has its own keys and values.
    """
    d_model = r.integer("hidden_size", defaults["hidden_size"], field="d_model", minimum=1)
    n_head = r.integer("num_attention_heads", defaults["num_attention_heads"], field="n_head", minimum=1)
    dims = {
        "n_vocab": r.integer("vocab_size", defaults["vocab_size"], field="n_vocab", minimum=1),
        "n_layer": r.integer("num_hidden_layers", defaults["num_hidden_layers"], field="n_layer", minimum=1),
        "d_model": d_model,
        "n_head": n_head,
        "d_ff": r.integer("intermediate_size", defaults["intermediate_size"], field="d_ff", minimum=1),
        "n_context": r.integer("max_position_embeddings", defaults["max_position_embeddings"], field="n_context"),
        "tie_embeddings": r.boolean("tie_word_embeddings", defaults["tie_word_embeddings"], field="tie_embeddings"),
    }
    if "d_head" not in given:
        if "head_dim" not in defaults:
            dims["d_head"] = head_width(r, d_model, n_head, ("hidden_size", "num_attention_heads"))
        else:
            dims["d_head"] = r.integer("head_dim", defaults["head_dim"], field="d_head", minimum=1)
            if dims["d_head"] is None:
                dims["d_head"] = d_model // n_head
                r.note("d_head", "hidden_size")
    if "n_kv_head" not in given:
        dims["n_kv_head"] = n_head
        if "num_key_value_heads" in defaults:
            kv_default = defaults["num_key_value_heads"]
            kv_default = n_head if kv_default is None else kv_default
            dims["n_kv_head"] = read_int(r, "num_key_value_heads", kv_default, "n_kv_head", null=n_head)
    return dims


def llama_like(r: Reader, defaults: Mapping[str, Any] = LLAMA_DEFAULTS, **fields: Any) -> Architecture:
    """A Llama-style decoder: rotary positions, RMSNorm, gated MLP without biases, GQA.

    `defaults` are the family's transformers config defaults (see LLAMA_DEFAULTS);
    `fields` sets the Architecture fields where the family differs (biases it reads,
    norms, q/k norms ...). Keys the family's config class does not have are not read.
    """
    arch: dict[str, Any] = {
        **dimensions(r, defaults, given=fields),
        "position_embedding": "rotary",
        "qkv_bias": False,
        "out_bias": False,
        "mlp": "gated",
        "mlp_bias": False,
        "norm": "rmsnorm",
    }
    arch.update(fields)
    return Architecture(**arch)


def attention_bias(r: Reader, default: bool, key: str = "attention_bias") -> dict[str, bool]:
    """One switch for the biases of W_Q, W_K, W_V and W_O."""
    bias = r.boolean(key, default, field="qkv_bias")
    r.note("out_bias", key)
    return {"qkv_bias": bias, "out_bias": bias}


def same_bias(r: Reader, key: str, default: bool, sites: Sequence[str] = ("qkv", "out", "mlp")) -> dict[str, Any]:
    """One switch for the biases of every linear layer in `sites` (qkv, out, mlp)."""
    bias = r.boolean(key, default, field=f"{sites[0]}_bias")
    for site in sites[1:]:
        r.note(f"{site}_bias", key)
    return {f"{site}_bias": bias for site in sites}


def routed_experts(
    r: Reader, keys: Mapping[str, str | Sequence[str]], defaults: Mapping[str, Any], null: bool = True
) -> dict[str, Any]:
    """n_expert, n_expert_per_token and d_ff_expert under the family's key names.

    `keys` maps those three fields to the family's keys (with aliases), `defaults` the
    first of each to the config class's default. Experts per token that the file leaves null
    (or absent, where the class default is None: DeepseekV2Config saves it so) are 0, not
    given: transformers builds every expert all the same, so the total is counted, and the
    active count is not (`Architecture.has_active_count`). `null` False: a family only
    transformers 5.x has, whose strict config class refuses a null (PL101).
    """
    experts = {}
    for name, names in keys.items():
        canonical = names if isinstance(names, str) else names[0]
        default = defaults[canonical]
        key = key_of(r, names)
        if name == "n_expert_per_token" and not null and key in r.data and r.data[key] is None:
            r.fail(key, f"{key} is null: transformers 5.24.0 refuses it for this model type (an integer is required)")
        if name == "n_expert_per_token":
            experts[name] = read_int(r, names, 0 if default is None else default, name, null=0)
        else:
            experts[name] = read_int(r, names, default, name)
    if experts["n_expert_per_token"] > experts["n_expert"]:
        r.fail(
            key_of(r, keys["n_expert_per_token"]),
            f"{experts['n_expert_per_token']} experts per token exceeds the {experts['n_expert']} experts",
        )
    return experts


def dense_layers_by_step(r: Reader, n_layer: int, default_step: int = 1) -> int:
    """Layers that keep a dense MLP in Qwen-MoE models: those listed in mlp_only_layers,
    and those whose (index + 1) is not a multiple of decoder_sparse_step."""
    step = r.integer("decoder_sparse_step", default_step, field="n_dense_layer", minimum=1)
    mlp_only = r.sequence("mlp_only_layers", [], field="n_dense_layer")
    for index, layer in enumerate(mlp_only):
        if isinstance(layer, bool) or not isinstance(layer, int):
            r.fail("mlp_only_layers", f"mlp_only_layers[{index}] must be a layer index, got {layer!r}")
    return sum(1 for layer in range(n_layer) if layer in mlp_only or (layer + 1) % step)


# Mixtral's names for its experts, which GPT-OSS, PhiMoE and the Granite MoE models share.
LOCAL_EXPERT_KEYS = {
    "n_expert": "num_local_experts",
    "n_expert_per_token": "num_experts_per_tok",
    "d_ff_expert": "intermediate_size",
}

QWEN_EXPERT_KEYS = {
    "n_expert": "num_experts",
    "n_expert_per_token": "num_experts_per_tok",
    "d_ff_expert": "moe_intermediate_size",
}


def qwen_sparse_moe(r: Reader, defaults: Mapping[str, Any]) -> dict[str, Any]:
    """The experts of a Qwen-MoE model; num_experts 0 leaves every layer dense.

    A layer is sparse unless mlp_only_layers lists it or decoder_sparse_step skips it;
    dense layers keep an MLP of width intermediate_size.
    """
    if r.integer("num_experts", defaults["num_experts"], field="n_expert") == 0:
        return {}
    n_layer = r.integer("num_hidden_layers", defaults["num_hidden_layers"], field="n_layer", minimum=1)
    return {
        **routed_experts(r, QWEN_EXPERT_KEYS, defaults),
        "n_dense_layer": dense_layers_by_step(r, n_layer, defaults["decoder_sparse_step"]),
    }
