"""MaxText: `configs/models/*.yml` (and `base.yml`) read over base.yml's defaults.

MaxText's pyconfig loads base.yml, then the model file named by `model_name`, whose keys
must already exist in base.yml. A model file states only what differs, so the defaults of
the count-deciding keys ship with param-lint (`maxtext_base.json`, written from base.yml
by `tools/make_maxtext_defaults.py`). Widths are `base_*` values scaled by
`global_parameter_scale` (a power of two), cycling the doubling over heads and MLP width,
then embedding width, then layers, as pyconfig's `get_individual_scales` does.

`decoder_block` decides the layout: llama2 / mistral (RMSNorm, no biases, gated MLP when
`mlp_activations` has two entries), mixtral (the same with routed experts), gemma (the
same, its unembedding tied through `logits_via_embedding`), gpt3 (LayerNorms with biases,
biases on every projection, `trainable_position_size` learned positions) and deepseek
(latent attention, `first_num_dense_layers` dense layers, shared experts). The router of
a MoE layer has a bias vector when `routed_bias` is true: unlike transformers' buffer it
is a trainable parameter in MaxText, so it counts.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import Any

from ..architecture import Architecture
from . import CannotCount, Dialect, Facts, ModelConfig, Reader

BLOCKS = ("llama2", "mistral", "mixtral", "gemma", "gpt3", "deepseek")


@cache
def base_defaults() -> dict[str, Any]:
    """base.yml's values for the keys that decide a count (see tools/make_maxtext_defaults.py)."""
    text = resources.files(__package__).joinpath("maxtext_base.json").read_text(encoding="utf-8")
    return dict(json.loads(text)["defaults"])


def recognise(data: dict[str, Any]) -> bool:
    """A MaxText model file names base_* widths; base.yml also has global_parameter_scale."""
    return "base_emb_dim" in data and ("decoder_block" in data or "base_num_decoder_layers" in data)


def individual_scales(scale: int) -> tuple[int, int, int, int]:
    """(embedding, heads, MLP, layers) exponents of two for a global_parameter_scale."""
    log2 = math.floor(math.log2(scale))
    base, rem = divmod(log2, 3)
    heads = base + int(rem > 0)
    return base + int(rem > 1), heads, heads, base


def read(r: Reader, facts: Facts) -> ModelConfig:
    defaults = base_defaults()

    def integer(key: str, field: str | None = None, minimum: int = 1) -> int:
        return int(r.integer(key, defaults[key], field=field, minimum=minimum))

    def boolean(key: str, field: str | None = None) -> bool:
        return bool(r.boolean(key, defaults[key], field=field))

    block = r.string("decoder_block", defaults["decoder_block"], field="mlp")
    if block not in BLOCKS:
        raise CannotCount(
            r.path("decoder_block"), f"decoder_block {block!r} is not counted; param-lint counts {', '.join(BLOCKS)}"
        )
    for key in ("mtp_num_layers",):
        if r.integer(key, 0, minimum=0):
            raise CannotCount(r.path(key), f"{key} adds multi-token-prediction layers, which param-lint does not count")
    for key in ("use_qk_norm", "use_post_attn_norm", "use_post_ffw_norm", "mlp_bias", "attention_bias"):
        if boolean(key):
            raise CannotCount(r.path(key), f"{key}: true is not counted for decoder_block {block!r}")
    scale = integer("global_parameter_scale")
    if 2 ** math.floor(math.log2(scale)) != scale:
        r.fail("global_parameter_scale", f"global_parameter_scale must be a power of two, got {scale}")
    emb_scale, head_scale, mlp_scale, layer_scale = individual_scales(scale)
    d_model = 2**emb_scale * integer("base_emb_dim", "d_model")
    n_head = 2**head_scale * integer("base_num_query_heads", "n_head")
    n_kv_head = 2**head_scale * integer("base_num_kv_heads", "n_kv_head")
    d_ff = 2**mlp_scale * integer("base_mlp_dim", "d_ff")
    n_layer = 2**layer_scale * integer("base_num_decoder_layers", "n_layer")
    activations = r.sequence("mlp_activations", defaults["mlp_activations"], field="mlp")
    if len(activations) not in (1, 2):
        r.fail("mlp_activations", f"mlp_activations must list one or two activations, got {activations!r}")
    arch: dict[str, Any] = {
        "n_vocab": integer("vocab_size", "n_vocab"),
        "n_layer": n_layer,
        "d_model": d_model,
        "n_head": n_head,
        "d_head": integer("head_dim", "d_head"),
        "n_kv_head": n_kv_head,
        "d_ff": d_ff,
        "mlp": "gated" if len(activations) == 2 else "standard",
        "tie_embeddings": boolean("logits_via_embedding", "tie_embeddings"),
        "position_embedding": "rotary",
        "qkv_bias": False,
        "out_bias": False,
        "mlp_bias": False,
        "norm": "rmsnorm",
    }
    if scale != 1:
        for field in ("d_model", "n_head", "n_kv_head", "d_ff", "n_layer"):
            r.note(field, "global_parameter_scale")
    if block == "gpt3":
        positions = r.integer(
            "trainable_position_size", defaults["trainable_position_size"], field="n_context", minimum=-1
        )
        arch.update(
            n_kv_head=n_head,
            position_embedding="learned" if positions > 0 else "none",
            n_context=max(positions, 0),
            qkv_bias=True,
            out_bias=True,
            mlp_bias=True,
            norm="layernorm",
        )
    if block in ("mixtral", "deepseek"):
        arch.update(experts(r, defaults, d_ff, mlp_scale, n_layer))
    if block == "deepseek":
        arch.update(latent_attention(r, defaults, n_head))
    name = r.data.get("model_name")
    return ModelConfig(
        "maxtext",
        Architecture(**arch),
        r.sources,
        name=name if isinstance(name, str) and name != "default" else "",
        family=block,
    )


def experts(r: Reader, defaults: dict[str, Any], d_ff: int, mlp_scale: int, n_layer: int) -> dict[str, Any]:
    """Routed experts of width moe_mlp_dim (mlp_dim when unset), shared experts, dense layers."""
    n_expert = r.integer("num_experts", defaults["num_experts"], field="n_expert", minimum=1)
    if n_expert == 1:
        return {}
    top_k = r.integer("num_experts_per_tok", defaults["num_experts_per_tok"], field="n_expert_per_token", minimum=1)
    if top_k > n_expert:
        r.fail("num_experts_per_tok", f"{top_k} experts per token exceeds the {n_expert} experts")
    base_moe = r.integer("base_moe_mlp_dim", defaults["base_moe_mlp_dim"], field="d_ff_expert", minimum=-1)
    d_ff_expert = 2**mlp_scale * base_moe if base_moe > 0 else d_ff
    shared = r.integer("shared_experts", defaults["shared_experts"], field="d_ff_shared", minimum=0)
    dense = r.integer("first_num_dense_layers", defaults["first_num_dense_layers"], field="n_dense_layer", minimum=0)
    return {
        "n_expert": n_expert,
        "n_expert_per_token": top_k,
        "d_ff_expert": d_ff_expert,
        "d_ff_shared": shared * d_ff_expert,
        "n_dense_layer": min(dense, n_layer),
        "router_bias": r.boolean("routed_bias", defaults["routed_bias"], field="router_bias"),
    }


def latent_attention(r: Reader, defaults: dict[str, Any], n_head: int) -> dict[str, Any]:
    """DeepSeek's multi-head latent attention (attention_type: mla); q_lora_rank 0 = a full W_Q."""
    kind = r.string("attention_type", defaults["attention_type"])
    if kind != "mla":
        raise CannotCount(
            r.path("attention_type"), f"decoder_block deepseek with attention_type {kind!r} is not counted"
        )
    rope = r.integer("qk_rope_head_dim", defaults["qk_rope_head_dim"], field="d_head_rope", minimum=0)
    q_lora = r.integer("q_lora_rank", defaults["q_lora_rank"], field="q_lora_rank", minimum=0)
    return {
        "n_kv_head": n_head,
        "d_head": r.integer("qk_nope_head_dim", defaults["qk_nope_head_dim"], field="d_head") + rope,
        "d_head_rope": rope,
        "d_head_v": r.integer("v_head_dim", defaults["v_head_dim"], field="d_head_v"),
        "q_lora_rank": q_lora or None,
        "kv_lora_rank": r.integer("kv_lora_rank", defaults["kv_lora_rank"], field="kv_lora_rank"),
    }


DIALECT: Dialect = Dialect(
    name="maxtext",
    description="MaxText configs/models/*.yml and base.yml, over base.yml's defaults",
    recognise=recognise,
    read=read,
    hints=("base_emb_dim", "decoder_block", "base_num_decoder_layers"),
    declarations_in_file=False,
)
