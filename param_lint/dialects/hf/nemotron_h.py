"""nemotron_h: NemotronHForCausalLM (NVIDIA Nemotron-H, Nemotron 3 Nano and Super), which
transformers has from 5.x only (4.57.6 has no such type; the published files also name
remote code in `auto_map`). Every layer is one block after one RMSNorm, as
`hybrid_override_pattern` spells it, a character per layer (transformers 5 also reads the
list `layers_block_type`): `M` a Mamba-2 mixer, `*` attention, `-` an MLP, `E` a MoE.
The pattern is the depth: transformers 5.24.0 builds its layers whatever num_hidden_layers
says (a num_hidden_layers that disagrees is PL303).

- Mamba-2: mamba_num_heads heads of mamba_head_dim (their product is the width; `expand`
  is not read), n_groups groups of ssm_state_size, conv conv_kernel with use_conv_bias,
  use_bias on in_proj and out_proj (mamba_proj_bias is not read), a gated RMSNorm; a file's
  older mamba_n_groups, mamba_d_conv and mamba_conv_bias win, as transformers 5 reads them.
- Attention: num_attention_heads x head_dim (class default 128; the older files'
  attention_head_dim is not read), num_key_value_heads, no biases (attention_bias is not
  read), rotary.
- MLP: up and down projections (relu2, no gate) of width intermediate_size, mlp_bias.
- MoE: n_routed_experts ungated experts of width moe_intermediate_size (num_experts_per_tok
  per token) without biases, a bias-free router (its score-correction bias is a buffer),
  one shared ungated expert of width moe_shared_expert_intermediate_size (mlp_bias), and
  with moe_latent_size (Nemotron 3 Super's latent MoE) the routed experts work that wide
  between two projections (mlp_bias).

The lm_head is never tied (the class ties nothing). Nemotron 3 Super's multi-token-
prediction layers (num_nextn_predict_layers, mtp_hybrid_override_pattern) are in its
checkpoint but transformers 5.24.0 does not build them: they are not counted."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...architecture import Architecture, Mixer
from .. import Reader
from .common import dimensions, routed_experts
from .ssm import Mamba2Keys, mamba2_mixer, stack

DEFAULTS: dict[str, Any] = {  # NemotronHConfig (transformers 5.24.0)
    "vocab_size": 131072,
    "hidden_size": 4096,
    "num_hidden_layers": 4,  # the default pattern's length
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "intermediate_size": 21504,
    "max_position_embeddings": 4096,
    "tie_word_embeddings": False,
    "n_routed_experts": 8,
    "num_experts_per_tok": 2,
    "moe_intermediate_size": 7688,
}
# NemotronHConfig (5.24.0) accepts num_hidden_layers None: the pattern's length is the depth.
NULLABLE_KEYS = ("num_hidden_layers",)
KINDS = {"M": "linear_attention", "*": "full_attention", "-": "mlp", "E": "moe"}
DEFAULT_PATTERN = ["linear_attention", "moe", "full_attention", "mlp"]
# Older layer names that transformers 5.24.0 renames on load (configuration_utils'
# remap_legacy_layer_types), so a list that says them builds the same layers.
LEGACY_KINDS = {"mamba": "linear_attention", "attention": "full_attention"}
MAMBA2_KEYS = Mamba2Keys(  # the width is the heads' (mamba_num_heads x mamba_head_dim), not expand's
    n_head=("mamba_num_heads", 128),
    head_dim=("mamba_head_dim", 64),
    d_state=("ssm_state_size", 128),
    d_conv=("conv_kernel", 4),
    n_group=("n_groups", 8),
    conv_bias=("use_conv_bias", True),
    proj_bias=("use_bias", False),
)
# The names of files written before transformers renamed these keys: NemotronHConfig's
# __post_init__ still reads them, and first (a file with both gets the older value).
OLDER_NAMES = {"n_group": "mamba_n_groups", "d_conv": "mamba_d_conv", "conv_bias": "mamba_conv_bias"}
EXPERT_KEYS = {
    "n_expert": "n_routed_experts",
    "n_expert_per_token": "num_experts_per_tok",
    "d_ff_expert": "moe_intermediate_size",
}


def mamba2_keys(r: Reader) -> Mamba2Keys:
    """MAMBA2_KEYS, each renamed key under the name this file gives it (OLDER_NAMES)."""
    renamed = {}
    for field, older in OLDER_NAMES.items():
        key, default = getattr(MAMBA2_KEYS, field)
        renamed[field] = (older if r.has(older) else key, default)
    return replace(MAMBA2_KEYS, **renamed)


def block_types(r: Reader) -> list[str]:
    """The kind of every layer: layers_block_type (a list) or hybrid_override_pattern (a string)."""
    if r.has("layers_block_type"):
        types = [
            LEGACY_KINDS.get(kind, kind) if isinstance(kind, str) else kind
            for kind in r.sequence("layers_block_type", field="layers")
        ]
        for index, kind in enumerate(types):
            if kind not in KINDS.values():
                choices = ", ".join(KINDS.values())
                r.fail("layers_block_type", f"layers_block_type[{index}] is {kind!r}; expected one of {choices}")
        key = "layers_block_type"
    elif r.has("hybrid_override_pattern"):
        pattern = r.string("hybrid_override_pattern", field="layers")
        for index, char in enumerate(pattern):
            if char not in KINDS:
                r.fail(
                    "hybrid_override_pattern",
                    f"hybrid_override_pattern[{index}] is {char!r}; expected M (mamba), * (attention), "
                    "- (MLP) or E (MoE)",
                )
        types = [KINDS[char] for char in pattern]
        key = "hybrid_override_pattern"
    else:
        r.note("layers", "hybrid_override_pattern")
        return list(DEFAULT_PATTERN)
    if not types:
        r.fail(key, f"{key} is empty: the model would have no layers")
    return list(types)


def architecture(r: Reader) -> Architecture:
    types = block_types(r)
    blocks: dict[str, tuple[tuple[Mixer, ...], str]] = {
        "full_attention": (("attention",), "none"),
        "mlp": ((), "dense"),
        "moe": ((), "moe"),
    }
    fields: dict[str, Any] = {}
    if "moe" in types:
        fields = routed_experts(r, EXPERT_KEYS, DEFAULTS, null=False)
        fields["d_ff_shared"] = r.integer("moe_shared_expert_intermediate_size", 7688, field="d_ff_shared", minimum=1)
        if r.data.get("moe_latent_size") is not None:
            fields["d_expert_latent"] = r.integer("moe_latent_size", field="d_expert_latent", minimum=1)
    dims = dimensions(r, DEFAULTS | {"num_hidden_layers": len(types)}, given=("tie_embeddings",))
    dims["n_layer"] = len(types)
    if "linear_attention" in types:
        blocks["linear_attention"] = ((mamba2_mixer(r, dims["d_model"], mamba2_keys(r)),), "none")
    dims["tie_embeddings"] = False  # NemotronHForCausalLM ties nothing, whatever tie_word_embeddings says
    return Architecture(
        **dims,
        position_embedding="rotary",
        qkv_bias=False,
        out_bias=False,
        mlp="standard",
        mlp_bias=r.boolean("mlp_bias", False, field="mlp_bias"),
        norm="rmsnorm",
        expert_bias="none",
        layers=stack([(*blocks[kind], 1) for kind in types]),
        **fields,
    )
