"""Tensor names: the state-dict names and shapes transformers gives a config's weights.

param-lint's breakdown names each weight in the article's terms (W_Q, W_O, norm_1.weight
...) with its shape in the x·W convention, (in, out). A checkpoint names the same weights
as transformers' modules do (`model.layers.3.self_attn.o_proj.weight`), nn.Linear weights
as (out, in). One `Naming` per family maps the first onto the second, as data:

- `tensors`: breakdown term -> tensor name. `{i}` is the layer index, `{e}` the expert,
  `{h}` the head (a per-head norm kept as one module per head). Terms sharing one name
  are fused along the output dimension (GPT-2's c_attn holds W_Q, W_K and W_V). A key
  `"<section>/<term>"` overrides the plain term in that section (T5's encoder and decoder
  blocks lay out the same terms differently). A name ending in `@heads` is kept as
  (heads, d_head) rather than flat (Cohere's q/k norms); one ending in `@in_out` is stored
  (in, out) as written, in a family whose other linear weights are (out, in) (GPT-OSS's
  stacked experts, ERNIE's (1, n_expert) router correction); one ending in `@conv` is a
  patch embedding kept as a convolution kernel (d_model, channels, *patch); `@depthwise` a
  (channels, kernel) term kept as a depthwise Conv1d, (channels, 1, kernel); `@3d` a
  learned vector or table kept with leading 1s (ViT's cls_token (1, 1, d)).
- A composite model's other parts (towers, projectors: sections tagged with a `part` other
  than "text") are named only by keys `"<part>:<term>"` or `"<part>:<section>/<term>"`:
  a tower reuses W_Q, W_O and norm_1 under other names. Their layers count from 0 to the
  section's copies, or from 1 with `{i+1}` (a norm every layer but the first has: ModernBERT).
- `in_out`: the family stores linear weights (in, out) as written (GPT-2's Conv1D).
- `copies`: names that transformers' state dict gives a second time for the token
  embedding (a tied head, T5's per-stack embed_tokens); a checkpoint may or may not hold them.
  `name@term` is a second name for another term (BERT's decoder bias for b_U).
- `buffers`: persistent buffers a state dict holds besides parameters.
- `renames`: how transformers renames a checkpoint's keys on load (a multimodal class's
  `_checkpoint_conversion_mapping`, first matching pattern wins): the names are those of
  `named_parameters()`, but save_pretrained writes, and the published checkpoints hold, the
  older layout (`language_model.model.layers.0...`); either is accepted.
- `saved`: the terms a checkpoint on disk names otherwise than `named_parameters()` does,
  when transformers converts more than names on load: transformers 5 stacks routed experts
  (`mlp.experts.gate_up_proj`, (n_expert, 2·d_ff, d_model)) that the published checkpoints
  hold one per expert (`mlp.experts.{e}.gate_proj.weight`, (d_ff, d_model)), and Kimi-K2.5
  fuses its tower's q, k and v on disk (`wqkv`). A checkpoint is compared with both layouts
  and judged by the one it fits (`compare.compare`); names after `renames`.

`tools/make_tensor_names.py` checks every table against transformers' `named_parameters()`
and state dict; `tests/hf/tensor_names.json` is its output.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from math import prod
from typing import Any, NamedTuple

from ..architecture import Architecture
from ..counting import Breakdown, layers_name
from ..dialects.hf import qwen2_5_omni as omni
from ..parts import EncoderStack, Part

TABLES = ("W_E", "W_P", "W_T", "R_encoder", "R_decoder")  # embedding tables: (rows, width) in both conventions


# Renames transformers applies to every checkpoint key on load (_fix_state_dict_key_on_load):
# LayerNorm weights of models ported from TensorFlow (BERT) saved as gamma and beta; a
# weight-normalised convolution (wav2vec 2.0's positional one) saved as weight_g and weight_v.
LOAD_RENAMES = (
    (r"LayerNorm\.gamma$", "LayerNorm.weight"),
    (r"LayerNorm\.beta$", "LayerNorm.bias"),
    (r"weight_g$", "parametrizations.weight.original0"),
    (r"weight_v$", "parametrizations.weight.original1"),
)


class Tensor(NamedTuple):
    """One tensor a checkpoint should hold (under its name, the key it is kept by): its shape
    as stored and the terms it holds. The same Tensor serves every layer's copy."""

    shape: tuple[int, ...]
    terms: tuple[str, ...]  # breakdown term names, e.g. ("W_Q", "W_K", "W_V") for a fused QKV
    numel: int


@dataclass(frozen=True)
class Naming:
    """How one family names its weights (see the module docstring)."""

    base: str  # the base model's prefix, which a checkpoint of the bare model leaves out
    tensors: Mapping[str, str]
    in_out: bool = False
    copies: tuple[str, ...] = ()
    buffers: tuple[str, ...] = ()
    dense_layers: str = "first"  # which layers of a MoE model are dense: first | qwen | ernie
    renames: tuple[tuple[str, str], ...] = ()  # (regex, replacement) applied to a stored name
    patch: int = 0  # a standalone vision tower's default patch_size (its kernel comes from the config)
    bare: tuple[str, ...] = ()  # classes that are the base model itself: their names lack `base`
    copies_if: Mapping[str, str] = field(default_factory=dict)  # a copy only beside this term (its head)
    copies_for: Mapping[str, str] = field(default_factory=dict)  # a copy only for a class ending so
    logits_bias: str = ""  # for those classes too: a (1, n_vocab) buffer (Marian's final_logits_bias)
    saved: Mapping[str, str] = field(default_factory=dict)  # the on-disk layout's names where they differ


def _prefixed(prefix: str, table: Mapping[str, str]) -> dict[str, str]:
    return {term: prefix + name for term, name in table.items()}


def _norms(*names: str) -> dict[str, str]:
    """norm_1, norm_2 ... of a block, each a weight and (layernorm) a bias."""
    table = {}
    for index, name in enumerate(names, start=1):
        table[f"norm_{index}.weight"] = f"{name}.weight"
        table[f"norm_{index}.bias"] = f"{name}.bias"
    return table


def _linear(term: str, name: str, bias: bool = True) -> dict[str, str]:
    table = {f"W_{term}": f"{name}.weight"}
    if bias:
        table[f"b_{term}"] = f"{name}.bias"
    return table


def _per_expert(prefix: str, up: str, gate: str = "", down: str = "") -> dict[str, str]:
    """The routed experts one module per expert, as checkpoints on disk hold them (W_1 up,
    W_3 gate, W_2 down): transformers 5 stacks them on load (conversion_mapping.py)."""
    table = {"experts.W_1": f"{prefix}experts.{{e}}.{up}.weight", "experts.W_2": f"{prefix}experts.{{e}}.{down}.weight"}
    if gate:
        table["experts.W_3"] = f"{prefix}experts.{{e}}.{gate}.weight"
    return table


def _qkvo(q: str, k: str, v: str, o: str) -> dict[str, str]:
    return {**_linear("Q", q), **_linear("K", k), **_linear("V", v), **_linear("O", o)}


def _gated(up: str, gate: str, down: str) -> dict[str, str]:
    """W_1 (up), W_3 (gate), W_2 (down), and their biases."""
    return {**_linear("1", up), **_linear("3", gate), **_linear("2", down)}


def _experts(prefix: str, up: str, gate: str, down: str, shared: str) -> dict[str, str]:
    """The routed experts (stacked over {e}), the shared expert and the router of a MoE block."""
    table = {
        "W_router": prefix + "gate.weight",
        "b_router": prefix + "gate.bias",
        "W_shared_gate": f"{prefix}{shared}_gate.weight",
    }
    table.update({f"experts.{k}": f"{prefix}experts.{{e}}.{v}" for k, v in _gated(up, gate, down).items()})
    table.update({f"shared.{k}": f"{prefix}{shared}.{v}" for k, v in _gated(up, gate, down).items()})
    return table


_LLAMA_LAYER = {
    **_qkvo("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"),
    "norm_Q.weight": "self_attn.q_norm.weight",
    "norm_K.weight": "self_attn.k_norm.weight",
    **_gated("mlp.up_proj", "mlp.gate_proj", "mlp.down_proj"),
    **_norms("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"),
}
_MODEL_TOP = {
    "W_E": "model.embed_tokens.weight",
    "norm_final.weight": "model.norm.weight",
    "norm_final.bias": "model.norm.bias",
}
_HEAD = {"W_U": "lm_head.weight", "b_U": "lm_head.bias"}


def _llama(*layers: Mapping[str, str], top: Mapping[str, str] = _MODEL_TOP) -> Naming:
    """model.embed_tokens, model.layers.{i}.self_attn/mlp, model.norm, lm_head: most families.
    `layers` change the names inside a layer, `top` those outside."""
    layer = {key: name for table in layers for key, name in table.items()}
    tensors = {**top, **_HEAD, **_prefixed("model.layers.{i}.", {**_LLAMA_LAYER, **layer})}
    return Naming("model.", tensors, copies=("lm_head.weight",))


_QWEN_MOE = _experts("mlp.", "up_proj", "gate_proj", "down_proj", "shared_expert")
_DEEPSEEK_MLA = {
    "W_DQ": "self_attn.q_a_proj.weight",
    "b_DQ": "self_attn.q_a_proj.bias",
    "norm_DQ.weight": "self_attn.q_a_layernorm.weight",
    "W_UQ": "self_attn.q_b_proj.weight",
    "W_DKV": "self_attn.kv_a_proj_with_mqa.weight",
    "b_DKV": "self_attn.kv_a_proj_with_mqa.bias",
    "norm_DKV.weight": "self_attn.kv_a_layernorm.weight",
    "W_UKV": "self_attn.kv_b_proj.weight",
    **_experts("mlp.", "up_proj", "gate_proj", "down_proj", "shared_experts"),
}
_GPT2 = Naming(
    "transformer.",
    {
        "W_E": "transformer.wte.weight",
        "W_P": "transformer.wpe.weight",
        "norm_final.weight": "transformer.ln_f.weight",
        "norm_final.bias": "transformer.ln_f.bias",
        **_HEAD,
        **_prefixed(
            "transformer.h.{i}.",
            {
                **_qkvo("attn.c_attn", "attn.c_attn", "attn.c_attn", "attn.c_proj"),
                **_linear("1", "mlp.c_fc"),
                **_linear("2", "mlp.c_proj"),
                **_norms("ln_1", "ln_2"),
            },
        ),
    },
    copies=("lm_head.weight",),
)
_FUSED_FALCON = {  # BLOOM and Falcon: transformer.h.{i}.self_attention.query_key_value
    **_qkvo(
        "self_attention.query_key_value",
        "self_attention.query_key_value",
        "self_attention.query_key_value",
        "self_attention.dense",
    ),
    **_linear("1", "mlp.dense_h_to_4h"),
    **_linear("2", "mlp.dense_4h_to_h"),
}

_FALCON = Naming(  # BLOOM is the same with a norm after the embedding
    "transformer.",
    {
        "W_E": "transformer.word_embeddings.weight",
        "norm_final.weight": "transformer.ln_f.weight",
        "norm_final.bias": "transformer.ln_f.bias",
        **_HEAD,
        **_prefixed("transformer.h.{i}.", {**_FUSED_FALCON, **_norms("input_layernorm", "post_attention_layernorm")}),
    },
    copies=("lm_head.weight",),
)


def _t5_block(stack: str) -> dict[str, str]:
    """A T5 block: layer.0 self-attention, (decoder: layer.1 cross-attention), then the MLP;
    each sub-layer has its own norm. Keyed by section, as encoder and decoder differ."""
    section, sublayers = (
        ("encoder layer", ("SelfAttention",)) if stack == "encoder" else ("layer", ("SelfAttention", "EncDecAttention"))
    )
    block = {}
    for index, attention in enumerate(sublayers):
        prefix = "cross." if attention == "EncDecAttention" else ""
        block.update({f"{prefix}W_{x.upper()}": f"layer.{index}.{attention}.{x}.weight" for x in "qkvo"})
    mlp = len(sublayers)
    block.update({"W_1": f"layer.{mlp}.DenseReluDense.wi.weight", "W_2": f"layer.{mlp}.DenseReluDense.wo.weight"})
    block.update({f"norm_{n + 1}.weight": f"layer.{n}.layer_norm.weight" for n in range(mlp + 1)})
    return {f"{section}/{k}": f"{stack}.block.{{i}}.{v}" for k, v in block.items()}


def _part(part: str, prefix: str, table: Mapping[str, str]) -> dict[str, str]:
    """A composite's part: its terms keyed "<part>:<term>", its names under `prefix`."""
    return {f"{part}:{term}": prefix + name for term, name in table.items()}


def _clip_tower() -> dict[str, str]:
    """CLIP's and SigLIP's vision transformer (embeddings, encoder.layers, post_layernorm)."""
    return {
        "W_patch": "embeddings.patch_embedding.weight@conv",
        "b_patch": "embeddings.patch_embedding.bias",
        "cls": "embeddings.class_embedding",
        "W_P": "embeddings.position_embedding.weight",
        "norm_pre.weight": "pre_layrnorm.weight",
        "norm_pre.bias": "pre_layrnorm.bias",
        **_prefixed(
            "encoder.layers.{i}.",
            {
                **_qkvo("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj"),
                **_linear("1", "mlp.fc1"),
                **_linear("2", "mlp.fc2"),
                **_norms("layer_norm1", "layer_norm2"),
            },
        ),
        "norm_final.weight": "post_layernorm.weight",
        "norm_final.bias": "post_layernorm.bias",
    }


def _norm_pre(table: dict[str, str]) -> dict[str, str]:
    """norm_1 of a table renamed norm_pre (a norm before the stack)."""
    return {key.replace("norm_1.", "norm_pre."): name for key, name in table.items()}


_PIXTRAL = {  # Mistral 3's vision tower: ln_pre, RMSNorm blocks with a gated MLP, no biases
    "W_patch": "patch_conv.weight@conv",
    **_norm_pre(_norms("ln_pre")),
    **_prefixed(
        "transformer.layers.{i}.",
        {
            **_qkvo("attention.q_proj", "attention.k_proj", "attention.v_proj", "attention.o_proj"),
            **_gated("feed_forward.up_proj", "feed_forward.gate_proj", "feed_forward.down_proj"),
            **_norms("attention_norm", "ffn_norm"),
        },
    ),
}
_QWEN_VIT = {  # Qwen2.5-VL's vision tower: fused qkv, gated MLP, RMSNorm
    "W_patch": "patch_embed.proj.weight@conv",
    **_prefixed(
        "blocks.{i}.",
        {
            **_qkvo("attn.qkv", "attn.qkv", "attn.qkv", "attn.proj"),
            **_gated("mlp.up_proj", "mlp.gate_proj", "mlp.down_proj"),
            **_norms("norm1", "norm2"),
        },
    ),
}
# The VLMs' checkpoint layout (language_model.model.*, vision_tower.*, multi_modal_projector.*)
# renamed on load to named_parameters()' (transformers 4.57.6 _checkpoint_conversion_mapping).
_LLAVA_RENAMES = (
    ("^language_model.model", "model.language_model"),
    ("^vision_tower", "model.vision_tower"),
    ("^multi_modal_projector", "model.multi_modal_projector"),
    ("^language_model.lm_head", "lm_head"),
)


def _vlm(text: Naming, *parts: Mapping[str, str], renames: tuple[tuple[str, str], ...] = _LLAVA_RENAMES) -> Naming:
    """A VLM: the text model's table under model.language_model., beside its parts' tables."""
    tensors = {
        term: name.replace("model.", "model.language_model.", 1) if name.startswith("model.") else name
        for term, name in text.tensors.items()
    }
    for table in parts:
        tensors.update(table)
    return replace(text, tensors=tensors, base="", renames=renames)


def _bert(base: str, head: str, mlm: str, norm_mlm: str, bare: tuple[str, ...] = ()) -> Naming:
    """BERT and RoBERTa: {base}embeddings, {base}encoder.layer.{i} (post-norm: norm_1 after
    attention, norm_2 after the MLP), {base}pooler.dense, the MLM transform and tied decoder
    under `head`; `bare` the base model classes (no `base` prefix). Older checkpoints name
    LayerNorm weights gamma and beta (_LOAD_RENAMES)."""
    layer = {
        **_qkvo("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"),
        **_linear("1", "intermediate.dense"),
        **_linear("2", "output.dense"),
        **_norms("attention.output.LayerNorm", "output.LayerNorm"),
    }
    tensors = {
        "W_E": f"{base}embeddings.word_embeddings.weight",
        "W_P": f"{base}embeddings.position_embeddings.weight",
        "norm_E.weight": f"{base}embeddings.LayerNorm.weight",
        "norm_E.bias": f"{base}embeddings.LayerNorm.bias",
        "embeddings:W_T": f"{base}embeddings.token_type_embeddings.weight",
        **_prefixed(f"{base}encoder.layer.{{i}}.", layer),
        **_part("head", base, _linear("pool", "pooler.dense")),
        "b_U": f"{head}bias",
        **_part("head", head, {**_linear("mlm", mlm), "norm_mlm.weight": f"{norm_mlm}.weight"}),
        "head:norm_mlm.bias": f"{head}{norm_mlm}.bias",
    }
    return Naming(
        base,
        tensors,
        copies=(f"{head}decoder.bias@b_U",),
        copies_if={f"{head}decoder.weight": "b_U"},  # the tied decoder, beside the MLM head only
        bare=bare,
    )


def _mamba(prefix: str) -> dict[str, str]:
    """A Mamba-1 mixer (transformers' MambaMixer and Jamba's): in_proj, a depthwise conv1d,
    x_proj, dt_proj, A_log and D kept (d_inner, d_state) as written, out_proj."""
    return _prefixed(
        prefix,
        {
            **_linear("in", "in_proj"),
            "conv": "conv1d.weight@depthwise",
            "b_conv": "conv1d.bias",
            **_linear("x", "x_proj"),
            **_linear("dt", "dt_proj"),
            "A_log": "A_log@in_out",
            "D": "D",
            "norm_dt.weight": "dt_layernorm.weight",
            "norm_B.weight": "b_layernorm.weight",
            "norm_C.weight": "c_layernorm.weight",
            **_linear("out", "out_proj"),
        },
    )


_MAMBA = Naming(
    "backbone.",
    {
        "W_E": "backbone.embeddings.weight",
        "norm_final.weight": "backbone.norm_f.weight",
        **_HEAD,
        **_prefixed("backbone.layers.{i}.", {**_mamba("mixer."), "norm_1.weight": "norm.weight"}),
    },
    copies=("lm_head.weight",),
)
_MAMBA2 = _prefixed(  # a Mamba-2 mixer (Granite 4.0-H's, Falcon-H1's): dt_bias, a gated norm
    "mamba.",
    {
        **_linear("in", "in_proj"),
        "conv": "conv1d.weight@depthwise",
        "b_conv": "conv1d.bias",
        "b_dt": "dt_bias",
        "A_log": "A_log",
        "D": "D",
        "norm_gate.weight": "norm.weight",
        **_linear("out", "out_proj"),
    },
)
_GRANITE_EXPERTS = {  # the experts stacked in one tensor each, gate and up fused
    "W_router": "block_sparse_moe.router.layer.weight",
    "experts.W_1": "block_sparse_moe.input_linear.weight",
    "experts.W_3": "block_sparse_moe.input_linear.weight",
    "experts.W_2": "block_sparse_moe.output_linear.weight",
}
_GATED_DELTANET = {  # Qwen3-Next's linear attention
    "W_qkvz": "linear_attn.in_proj_qkvz.weight",
    "W_ba": "linear_attn.in_proj_ba.weight",
    "conv": "linear_attn.conv1d.weight@depthwise",
    "b_dt": "linear_attn.dt_bias",
    "A_log": "linear_attn.A_log",
    "norm_gate.weight": "linear_attn.norm.weight",
    "W_out": "linear_attn.out_proj.weight",
}


def _vision_model(*head: Mapping[str, str], patch: int) -> Naming:
    """A standalone CLIP or SigLIP vision tower: vision_model.* (the tower of _clip_tower,
    its patch embedding and [CLS] vector a part), then the class's head."""
    tower = _clip_tower()
    embeddings = {term: tower.pop(term) for term in ("W_patch", "b_patch", "cls")}
    tensors = {**_prefixed("vision_model.", tower), **_part("embeddings", "vision_model.", embeddings)}
    tensors["norm_E.weight"] = tensors.pop("norm_pre.weight")  # pre_layrnorm: the stack's embedding norm
    tensors["norm_E.bias"] = tensors.pop("norm_pre.bias")
    for table in head:
        tensors.update(table)
    return Naming("vision_model.", tensors, patch=patch)


_SIGLIP_POOLING = _part(  # SigLIP's attention-pooling head (nn.MultiheadAttention's in_proj)
    "head",
    "vision_model.head.",
    {
        "probe": "probe@3d",
        "W_pool_QKV": "attention.in_proj_weight",
        "b_pool_QKV": "attention.in_proj_bias",
        **_linear("pool_O", "attention.out_proj"),
        "norm_pool.weight": "layernorm.weight",
        "norm_pool.bias": "layernorm.bias",
        **_linear("pool_1", "mlp.fc1"),
        **_linear("pool_2", "mlp.fc2"),
    },
)
# The same head named inside a tower's own table (vision_model.head.*, under the tower's prefix).
_SIGLIP_POOLING_IN_TOWER = {
    key.removeprefix("head:"): name.removeprefix("vision_model.") for key, name in _SIGLIP_POOLING.items()
}
_VIT = Naming(
    "vit.",
    {
        "W_P": "vit.embeddings.position_embeddings@3d",
        **_part(
            "embeddings",
            "vit.embeddings.",
            {**_linear("patch", "patch_embeddings.projection"), "cls": "cls_token@3d"},
        ),
        "embeddings:W_patch": "vit.embeddings.patch_embeddings.projection.weight@conv",
        **_prefixed(
            "vit.encoder.layer.{i}.",
            {
                **_qkvo(
                    "attention.attention.query",
                    "attention.attention.key",
                    "attention.attention.value",
                    "attention.output.dense",
                ),
                **_linear("1", "intermediate.dense"),
                **_linear("2", "output.dense"),
                **_norms("layernorm_before", "layernorm_after"),
            },
        ),
        "norm_final.weight": "vit.layernorm.weight",
        "norm_final.bias": "vit.layernorm.bias",
        **_part("head", "", _linear("cls", "classifier")),
        **_part("head", "vit.", _linear("pool", "pooler.dense")),
    },
    patch=16,
    bare=("ViTModel",),
)
_DISTILBERT = Naming(
    "distilbert.",
    {
        "W_E": "distilbert.embeddings.word_embeddings.weight",
        "W_P": "distilbert.embeddings.position_embeddings.weight",
        "norm_E.weight": "distilbert.embeddings.LayerNorm.weight",
        "norm_E.bias": "distilbert.embeddings.LayerNorm.bias",
        **_prefixed(
            "distilbert.transformer.layer.{i}.",
            {
                **_qkvo("attention.q_lin", "attention.k_lin", "attention.v_lin", "attention.out_lin"),
                **_linear("1", "ffn.lin1"),
                **_linear("2", "ffn.lin2"),
                **_norms("sa_layer_norm", "output_layer_norm"),
            },
        ),
        "b_U": "vocab_projector.bias",
        **_part(
            "head",
            "",
            {
                **_linear("mlm", "vocab_transform"),
                "norm_mlm.weight": "vocab_layer_norm.weight",
                "norm_mlm.bias": "vocab_layer_norm.bias",
                **_linear("cls_dense", "pre_classifier"),
                **_linear("cls", "classifier"),
            },
        ),
    },
    copies_if={"vocab_projector.weight": "b_U"},  # DistilBertForMaskedLM's tied head
)


def _bart_layers(cross: bool) -> dict[str, str]:
    """A BART/Marian/Whisper encoder (or, with `cross`, decoder) layer: self_attn, encoder_attn,
    fc1, fc2, a norm after each sub-layer's input."""
    table = {
        **_qkvo("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj"),
        **_linear("1", "fc1"),
        **_linear("2", "fc2"),
    }
    if not cross:
        return {**table, **_norms("self_attn_layer_norm", "final_layer_norm")}
    attention = _qkvo("encoder_attn.q_proj", "encoder_attn.k_proj", "encoder_attn.v_proj", "encoder_attn.out_proj")
    return {
        **table,
        **{f"cross.{term}": name for term, name in attention.items()},
        **_norms("self_attn_layer_norm", "encoder_attn_layer_norm", "final_layer_norm"),
    }


def _seq2seq(**top: str) -> dict[str, str]:
    """model.encoder and model.decoder, their layers keyed by section, and `top` (term -> name)."""
    return {
        **{f"encoder layer/{k}": f"model.encoder.layers.{{i}}.{v}" for k, v in _bart_layers(False).items()},
        **{f"layer/{k}": f"model.decoder.layers.{{i}}.{v}" for k, v in _bart_layers(True).items()},
        **top,
    }


_BART = Naming(
    "model.",
    {
        **_seq2seq(
            W_E="model.shared.weight",
            W_P_encoder="model.encoder.embed_positions.weight@in_out",
            W_P_decoder="model.decoder.embed_positions.weight@in_out",
        ),
        "norm_E_encoder.weight": "model.encoder.layernorm_embedding.weight",
        "norm_E_encoder.bias": "model.encoder.layernorm_embedding.bias",
        "norm_E_decoder.weight": "model.decoder.layernorm_embedding.weight",
        "norm_E_decoder.bias": "model.decoder.layernorm_embedding.bias",
        **_part("head", "classification_head.", {**_linear("cls_dense", "dense"), **_linear("cls", "out_proj")}),
    },
    copies=("model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight"),
    copies_for={"lm_head.weight": "ForConditionalGeneration"},
    logits_bias="final_logits_bias",
)
_WHISPER = Naming(
    "model.",
    {
        **_seq2seq(
            W_E="model.decoder.embed_tokens.weight",
            W_P="model.decoder.embed_positions.weight",
        ),
        **_part(
            "audio",
            "model.encoder.",
            {
                "W_conv1": "conv1.weight@in_out",
                "b_conv1": "conv1.bias",
                "W_conv2": "conv2.weight@in_out",
                "b_conv2": "conv2.bias",
                "W_P_encoder": "embed_positions.weight@in_out",
            },
        ),
        "norm_encoderfinal.weight": "model.encoder.layer_norm.weight",
        "norm_encoderfinal.bias": "model.encoder.layer_norm.bias",
        "norm_decoderfinal.weight": "model.decoder.layer_norm.weight",
        "norm_decoderfinal.bias": "model.decoder.layer_norm.bias",
    },
    copies_for={"proj_out.weight": "ForConditionalGeneration"},
)

_M2M100 = Naming(  # BART's layers, pre-LN: a final layer_norm per stack, sinusoids in a buffer
    "model.",
    {
        **_seq2seq(W_E="model.shared.weight"),
        "norm_encoderfinal.weight": "model.encoder.layer_norm.weight",
        "norm_encoderfinal.bias": "model.encoder.layer_norm.bias",
        "norm_decoderfinal.weight": "model.decoder.layer_norm.weight",
        "norm_decoderfinal.bias": "model.decoder.layer_norm.bias",
    },
    copies=("model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight"),
    copies_for={"lm_head.weight": "ForConditionalGeneration"},
)

NAMINGS: dict[str, Naming] = {
    "llama": _llama(),
    "mistral": _llama(),
    "qwen2": _llama(),
    "qwen3": _llama(),
    "olmo": _llama(),
    "gemma": _llama(),
    "gemma2": _llama(),
    "gemma3_text": _llama(),
    "olmo2": _llama(
        {
            "norm_1.weight": "post_attention_layernorm.weight",
            "norm_2.weight": "post_feedforward_layernorm.weight",
        }
    ),
    "cohere": _llama(
        {"norm_Q.weight": "self_attn.q_norm.weight@heads", "norm_K.weight": "self_attn.k_norm.weight@heads"}
    ),
    "cohere2": _llama(),  # Command R7B, Tiny Aya: cohere's parallel block without q/k norms
    "stablelm": _llama(
        {
            "norm_Q.weight": "self_attn.q_layernorm.norms.{h}.weight",
            "norm_K.weight": "self_attn.k_layernorm.norms.{h}.weight",
        }
    ),
    "starcoder2": _llama(_linear("1", "mlp.c_fc"), _linear("2", "mlp.c_proj")),
    "phi": _llama(
        _linear("O", "self_attn.dense"),
        _linear("1", "mlp.fc1"),
        _linear("2", "mlp.fc2"),
        {
            "norm_Q.weight": "self_attn.q_layernorm.weight",
            "norm_Q.bias": "self_attn.q_layernorm.bias",
            "norm_K.weight": "self_attn.k_layernorm.weight",
            "norm_K.bias": "self_attn.k_layernorm.bias",
        },
        top={
            "W_E": "model.embed_tokens.weight",
            "norm_final.weight": "model.final_layernorm.weight",
            "norm_final.bias": "model.final_layernorm.bias",
        },
    ),
    "phi3": _llama(
        _qkvo("self_attn.qkv_proj", "self_attn.qkv_proj", "self_attn.qkv_proj", "self_attn.o_proj"),
        _gated("mlp.gate_up_proj", "mlp.gate_up_proj", "mlp.down_proj"),
    ),
    "mixtral": _llama(_experts("block_sparse_moe.", "w3", "w1", "w2", "shared_expert")),
    "qwen2_moe": replace(_llama(_QWEN_MOE), dense_layers="qwen"),
    "qwen3_moe": replace(_llama(_QWEN_MOE), dense_layers="qwen"),
    "deepseek_v2": _llama(_DEEPSEEK_MLA),
    "deepseek_v3": replace(_llama(_DEEPSEEK_MLA), buffers=("model.layers.{i}.mlp.gate.e_score_correction_bias",)),
    "granite": _llama(),
    "smollm3": _llama(),
    "ernie4_5": _llama(),
    "exaone4": _llama(
        {"norm_1.weight": "post_attention_layernorm.weight", "norm_2.weight": "post_feedforward_layernorm.weight"}
    ),
    "olmoe": _llama(_QWEN_MOE),
    "phimoe": _llama(_experts("block_sparse_moe.", "w3", "w1", "w2", "shared_expert")),
    "glm4_moe": replace(
        _llama(_DEEPSEEK_MLA), buffers=("model.layers.{i}.mlp.gate.e_score_correction_bias",), dense_layers="first"
    ),
    "ernie4_5_moe": replace(
        _llama(
            _experts("mlp.", "up_proj", "gate_proj", "down_proj", "shared_experts"),
            {"b_router_correction": "mlp.moe_statics.e_score_correction_bias@in_out"},
        ),
        dense_layers="ernie",
    ),
    "gpt_oss": _llama(  # the experts stacked (in, out), gate and up fused (interleaved)
        {
            "sinks": "self_attn.sinks",
            "W_router": "mlp.router.weight",
            "b_router": "mlp.router.bias",
            "experts.W_1": "mlp.experts.gate_up_proj@in_out",
            "experts.W_3": "mlp.experts.gate_up_proj@in_out",
            "experts.b_1": "mlp.experts.gate_up_proj_bias@in_out",
            "experts.b_3": "mlp.experts.gate_up_proj_bias@in_out",
            "experts.W_2": "mlp.experts.down_proj@in_out",
            "experts.b_2": "mlp.experts.down_proj_bias@in_out",
        }
    ),
    "granitemoe": _llama(_GRANITE_EXPERTS),
    "nemotron": _llama(),
    "olmo3": _llama(
        {"norm_1.weight": "post_attention_layernorm.weight", "norm_2.weight": "post_feedforward_layernorm.weight"}
    ),
    "glm4": _llama(  # GLM-4-0414: gate and up fused, four norms per layer
        _gated("mlp.gate_up_proj", "mlp.gate_up_proj", "mlp.down_proj"),
        _norms("input_layernorm", "post_self_attn_layernorm", "post_attention_layernorm", "post_mlp_layernorm"),
    ),
    "ministral3": _llama(),
    "deepseek_v32": replace(  # transformers 5: the routed experts stacked, gate and up fused
        _llama(
            _DEEPSEEK_MLA,
            {
                "experts.W_1": "mlp.experts.gate_up_proj",
                "experts.W_3": "mlp.experts.gate_up_proj",
                "experts.W_2": "mlp.experts.down_proj",
                "W_IQ": "self_attn.indexer.wq_b.weight",
                "W_IK": "self_attn.indexer.wk.weight",
                "norm_IK.weight": "self_attn.indexer.k_norm.weight",
                "norm_IK.bias": "self_attn.indexer.k_norm.bias",
                "W_Iw": "self_attn.indexer.weights_proj.weight",
            },
        ),
        buffers=("model.layers.{i}.mlp.gate.e_score_correction_bias",),
        saved=_prefixed("model.layers.{i}.", _per_expert("mlp.", "up_proj", "gate_proj", "down_proj")),
    ),
    "dbrx": Naming(  # the experts stacked and flattened: w1, v1 (E*d_ff, d_model), w2 likewise
        "transformer.",
        {
            "W_E": "transformer.wte.weight",
            "norm_final.weight": "transformer.norm_f.weight",
            **_HEAD,
            **_prefixed(
                "transformer.blocks.{i}.",
                {
                    **_qkvo(
                        "norm_attn_norm.attn.Wqkv",
                        "norm_attn_norm.attn.Wqkv",
                        "norm_attn_norm.attn.Wqkv",
                        "norm_attn_norm.attn.out_proj",
                    ),
                    **_norms("norm_attn_norm.norm_1", "norm_attn_norm.norm_2"),
                    "W_router": "ffn.router.layer.weight",
                    "experts.W_1": "ffn.experts.mlp.v1@flat",
                    "experts.W_3": "ffn.experts.mlp.w1@flat",
                    "experts.W_2": "ffn.experts.mlp.w2@flat@in_out",
                },
            ),
        },
        copies=("lm_head.weight",),
    ),
    "gpt2": replace(_GPT2, in_out=True),  # Conv1D weights are stored (in, out)
    "gpt_bigcode": _GPT2,
    "gptj": Naming(
        "transformer.",
        {
            **_GPT2.tensors,
            **_prefixed(
                "transformer.h.{i}.",
                {
                    **_qkvo("attn.q_proj", "attn.k_proj", "attn.v_proj", "attn.out_proj"),
                    **_linear("1", "mlp.fc_in"),
                    **_linear("2", "mlp.fc_out"),
                },
            ),
        },
        copies=("lm_head.weight",),
    ),
    "bloom": replace(
        _FALCON,
        tensors={
            **_FALCON.tensors,
            "norm_E.weight": "transformer.word_embeddings_layernorm.weight",
            "norm_E.bias": "transformer.word_embeddings_layernorm.bias",
        },
    ),
    "falcon": _FALCON,
    "mpt": Naming(
        "transformer.",
        {
            "W_E": "transformer.wte.weight",
            "norm_final.weight": "transformer.norm_f.weight",
            "norm_final.bias": "transformer.norm_f.bias",
            **_HEAD,
            **_prefixed(
                "transformer.blocks.{i}.",
                {
                    **_qkvo("attn.Wqkv", "attn.Wqkv", "attn.Wqkv", "attn.out_proj"),
                    **_linear("1", "ffn.up_proj"),
                    **_linear("2", "ffn.down_proj"),
                    **_norms("norm_1", "norm_2"),
                },
            ),
        },
        copies=("lm_head.weight",),
    ),
    "gpt_neox": Naming(
        "gpt_neox.",
        {
            "W_E": "gpt_neox.embed_in.weight",
            "norm_final.weight": "gpt_neox.final_layer_norm.weight",
            "norm_final.bias": "gpt_neox.final_layer_norm.bias",
            "W_U": "embed_out.weight",
            **_prefixed(
                "gpt_neox.layers.{i}.",
                {
                    **_qkvo(
                        "attention.query_key_value",
                        "attention.query_key_value",
                        "attention.query_key_value",
                        "attention.dense",
                    ),
                    **_linear("1", "mlp.dense_h_to_4h"),
                    **_linear("2", "mlp.dense_4h_to_h"),
                    **_norms("input_layernorm", "post_attention_layernorm"),
                },
            ),
        },
        copies=("embed_out.weight",),
    ),
    "opt": Naming(
        "model.",
        {
            "W_E": "model.decoder.embed_tokens.weight",
            "W_P": "model.decoder.embed_positions.weight",
            "W_in": "model.decoder.project_in.weight",
            "W_out": "model.decoder.project_out.weight",
            "norm_final.weight": "model.decoder.final_layer_norm.weight",
            "norm_final.bias": "model.decoder.final_layer_norm.bias",
            **_HEAD,
            **_prefixed(
                "model.decoder.layers.{i}.",
                {
                    **_qkvo("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj"),
                    **_linear("1", "fc1"),
                    **_linear("2", "fc2"),
                    **_norms("self_attn_layer_norm", "final_layer_norm"),
                },
            ),
        },
        copies=("lm_head.weight",),
    ),
    "t5": Naming(
        "",
        {
            "W_E": "shared.weight",
            "R_encoder": "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
            "R_decoder": "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
            "norm_encoderfinal.weight": "encoder.final_layer_norm.weight",
            "norm_decoderfinal.weight": "decoder.final_layer_norm.weight",
            "W_U": "lm_head.weight",
            **_t5_block("encoder"),
            **_t5_block("decoder"),
        },
        copies=("lm_head.weight", "encoder.embed_tokens.weight", "decoder.embed_tokens.weight"),
    ),
}


@dataclass(frozen=True)
class Expected:
    """Every tensor a config implies, and the names a checkpoint may hold besides them."""

    tensors: dict[str, Tensor]
    copies: dict[str, tuple[int, ...]] = field(default_factory=dict)  # state-dict copies of W_E
    buffers: dict[str, Tensor] = field(default_factory=dict)
    base: str = ""
    renames: tuple[tuple[str, str], ...] = ()

    @property
    def numel(self) -> int:
        """Elements in all the tensors: the parameter count."""
        return sum(tensor.numel for tensor in self.tensors.values())


def falcon_overrides(data: Mapping[str, Any], arch: Architecture) -> dict[str, str]:
    """Falcon's parallel block keeps one norm (input_layernorm) or two (ln_attn, ln_mlp)."""
    if data.get("new_decoder_architecture") and data.get("num_ln_in_parallel_attn") in (None, 2):
        return _prefixed("transformer.h.{i}.", _norms("ln_attn", "ln_mlp"))
    return {}


def t5_overrides(data: Mapping[str, Any], arch: Architecture) -> dict[str, str]:
    """A gated T5 MLP is wi_0 (the gate), wi_1 and wo; an ungated one wi and wo."""
    if arch.mlp != "gated":
        return {}
    table = {}
    for section, stack, mlp in (("encoder layer", "encoder", 1), ("layer", "decoder", 2)):
        prefix = f"{stack}.block.{{i}}.layer.{mlp}.DenseReluDense."
        table[f"{section}/W_1"] = prefix + "wi_1.weight"
        table[f"{section}/W_3"] = prefix + "wi_0.weight"
    return table


def dinov2_overrides(data: Mapping[str, Any], arch: Architecture) -> dict[str, str]:
    """DINOv2's SwiGLU MLP (use_swiglu_ffn) is one fused weights_in (W_1 and the gate) and weights_out."""
    if arch.mlp != "gated":
        return {}
    prefix = "dinov2.encoder.layer.{i}.mlp."
    return {
        **_prefixed(prefix, {**_linear("1", "weights_in"), **_linear("3", "weights_in"), **_linear("2", "weights_out")})
    }


def mobilebert_overrides(data: Mapping[str, Any], arch: Architecture) -> dict[str, str]:
    """MobileBERT's (and BERT's) last layer by class: qa_outputs, the next-sentence
    seq_relationship, or classifier."""
    classes = class_names(data)
    if any(name.endswith("ForQuestionAnswering") for name in classes):
        return _part("head", "", _linear("cls", "qa_outputs"))
    if any(name.endswith(("ForPreTraining", "ForNextSentencePrediction")) for name in classes):
        return _part("head", "cls.", _linear("cls", "seq_relationship"))
    return {}


def _segformer_stage(s: int) -> dict[str, str]:
    """SegFormer's stage `s` (from 0): its patch embedding, blocks (with {i}) and stage norm."""
    block = f"segformer.encoder.block.{s}.{{i}}."
    patch = f"segformer.encoder.patch_embeddings.{s}."
    return {
        "W_patch": patch + "proj.weight@conv",
        "b_patch": patch + "proj.bias",
        "norm_pre.weight": patch + "layer_norm.weight",
        "norm_pre.bias": patch + "layer_norm.bias",
        **_prefixed(
            block,
            {
                **_qkvo("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"),
                **_linear("1", "mlp.dense1"),
                **_linear("2", "mlp.dense2"),
                **_norms("layer_norm_1", "layer_norm_2"),
                "W_sr": "attention.self.sr.weight@in_out",
                "b_sr": "attention.self.sr.bias",
                "norm_sr.weight": "attention.self.layer_norm.weight",
                "norm_sr.bias": "attention.self.layer_norm.bias",
                "W_dw": "mlp.dwconv.dwconv.weight@in_out",
                "b_dw": "mlp.dwconv.dwconv.bias",
            },
        ),
        "norm_final.weight": f"segformer.encoder.layer_norm.{s}.weight",
        "norm_final.bias": f"segformer.encoder.layer_norm.{s}.bias",
    }


def segformer_overrides(data: Mapping[str, Any], arch: Architecture) -> dict[str, str]:
    """SegFormer's record is its last stage, whose index is num_encoder_blocks - 1."""
    stage = _segformer_stage(int(data.get("num_encoder_blocks", 4)) - 1)
    table = {term: name for term, name in stage.items() if not term.startswith(("W_patch", "b_patch", "norm_pre"))}
    table["norm_E.weight"], table["norm_E.bias"] = stage.pop("norm_pre.weight"), stage.pop("norm_pre.bias")
    table["embeddings:W_patch"] = stage["W_patch"].replace("@conv", "@in_out")
    table["embeddings:b_patch"] = stage["b_patch"]
    table.update({f"encoder:{term}": stage[term] for term in ("W_sr", "b_sr", "norm_sr.weight", "norm_sr.bias")})
    table.update({f"encoder:{term}": stage[term] for term in ("W_dw", "b_dw")})
    return table


def roberta_overrides(data: Mapping[str, Any], arch: Architecture) -> dict[str, str]:
    """RoBERTa's and XLM-R's classifier by class: qa_outputs, the sequence classifier's dense
    layer and out_proj, or (token classification, multiple choice) classifier."""
    classes = class_names(data)
    if any(name.endswith("ForQuestionAnswering") for name in classes):
        return _part("head", "", _linear("cls", "qa_outputs"))
    if any(name.endswith("ForSequenceClassification") for name in classes):
        return _part("head", "classifier.", {**_linear("cls_dense", "dense"), **_linear("cls", "out_proj")})
    return {}


def distilbert_overrides(data: Mapping[str, Any], arch: Architecture) -> dict[str, str]:
    """DistilBERT's heads by class: a question-answering head is qa_outputs."""
    if any(name.endswith("ForQuestionAnswering") for name in class_names(data)):
        return {"head:W_cls": "qa_outputs.weight", "head:b_cls": "qa_outputs.bias"}
    return {}


# The few naming choices that depend on the config beyond the breakdown's terms.
OVERRIDES = {
    "falcon": falcon_overrides,
    "t5": t5_overrides,
    "mt5": t5_overrides,
    "distilbert": distilbert_overrides,
    "bert": mobilebert_overrides,  # the same class names and head names
    "roberta": roberta_overrides,
    "xlm-roberta": roberta_overrides,
    "dinov2": dinov2_overrides,
    "mobilebert": mobilebert_overrides,
    "segformer": segformer_overrides,
}


def chatglm_buffers(data: Mapping[str, Any], arch: Architecture) -> dict[str, Tensor]:
    """ChatGLM keeps its rotary inv_freq as a persistent buffer: RotaryEmbedding(kv_channels // 2)
    holds one frequency per pair of those dimensions."""
    n = (arch.d_head // 2 + 1) // 2
    return {"transformer.rotary_pos_emb.inv_freq": Tensor((n,), (), n)}


def deepseek_v4_buffers(data: Mapping[str, Any], arch: Architecture) -> dict[str, Tensor]:
    """DeepSeek-V4's router buffers: a hash-routed layer (mlp_layer_types "hash_moe", else the
    first num_hash_layers, 3 by default) keeps a (n_vocab, top_k) token-to-expert table, the
    others a score-correction bias per expert."""
    kinds = data.get("mlp_layer_types")
    if not isinstance(kinds, list):
        n_hash = data.get("num_hash_layers")
        n_hash = 3 if not isinstance(n_hash, int) else n_hash
        kinds = ["hash_moe" if i < n_hash else "moe" for i in range(arch.n_layer)]
    table = Tensor((arch.n_vocab, arch.n_expert_per_token), (), arch.n_vocab * arch.n_expert_per_token)
    bias = Tensor((arch.n_expert,), (), arch.n_expert)
    prefix = "model.layers.{}.mlp.gate."
    return {
        prefix.format(i) + ("tid2eid" if kind == "hash_moe" else "e_score_correction_bias"): (
            table if kind == "hash_moe" else bias
        )
        for i, kind in enumerate(kinds[: arch.n_layer])
    }


_GEMMA4_CLIPPABLE = (
    "self_attn.q_proj",
    "self_attn.k_proj",
    "self_attn.v_proj",
    "self_attn.o_proj",
    "mlp.gate_proj",
    "mlp.up_proj",
    "mlp.down_proj",
)


def _config_int(config: Mapping[str, Any], key: str, default: int) -> int:
    """An integer of the config as its reader took it (already checked there): null is the
    class default, 12.0 is 12."""
    value = config.get(key)
    return default if value is None else int(value)


def gemma4_buffers(data: Mapping[str, Any], arch: Architecture) -> dict[str, Tensor]:
    """Gemma 4's persistent buffers: each text layer's (1,) layer_scalar; the vision tower's
    std_bias and std_scale (hidden_size) under `standardize`, and a scalar input_min,
    input_max, output_min, output_max on each of its linears under `use_clipped_linears`
    (the audio tower's too, whose use_clipped_linears defaults to true)."""
    buffers = {f"model.language_model.layers.{i}.layer_scalar": Tensor((1,), (), 1) for i in range(arch.n_layer)}
    audio = data.get("audio_config")
    if isinstance(audio, Mapping) and audio.get("use_clipped_linears", True):
        linears = [f"feed_forward{k}.ffw_layer_{n}" for k in (1, 2) for n in (1, 2)]
        linears += [f"self_attn.{name}" for name in ("q_proj", "k_proj", "v_proj", "post")]
        linears += ["lconv1d.linear_start", "lconv1d.linear_end"]
        for i in range(_config_int(audio, "num_hidden_layers", 12)):
            for linear in linears:
                for bound in ("input_min", "input_max", "output_min", "output_max"):
                    buffers[f"model.audio_tower.layers.{i}.{linear}.{bound}"] = Tensor((), (), 1)
    vision = data.get("vision_config")
    if not isinstance(vision, Mapping):
        return buffers
    width = _config_int(vision, "hidden_size", 768)
    if vision.get("standardize", False):
        for name in ("std_bias", "std_scale"):
            buffers[f"model.vision_tower.{name}"] = Tensor((width,), (), width)
    if vision.get("use_clipped_linears", False):
        for i in range(_config_int(vision, "num_hidden_layers", 16)):
            for linear in _GEMMA4_CLIPPABLE:
                for bound in ("input_min", "input_max", "output_min", "output_max"):
                    buffers[f"model.vision_tower.encoder.layers.{i}.{linear}.{bound}"] = Tensor((), (), 1)
    return buffers


# Persistent buffers that are not per MoE layer, by family (from the config's data and record).
def segformer_buffers(data: Mapping[str, Any], arch: Architecture) -> dict[str, Tensor]:
    """The decode head's BatchNorm keeps its running statistics and a step count."""
    if "SegformerForSemanticSegmentation" not in class_names(data):
        return {}
    width = _config_int(data, "decoder_hidden_size", 256)
    stats = {f"decode_head.batch_norm.running_{s}": Tensor((width,), (), width) for s in ("mean", "var")}
    return {**stats, "decode_head.batch_norm.num_batches_tracked": Tensor((), (), 1)}


def hubert_buffers(data: Mapping[str, Any], arch: Architecture) -> dict[str, Tensor]:
    """With conv_pos_batch_norm the positional convolution's BatchNorm keeps its running
    statistics and a step count."""
    if data.get("conv_pos_batch_norm") is not True:
        return {}
    base = "" if "HubertModel" in class_names(data) else "hubert."
    prefix = base + "encoder.pos_conv_embed.batch_norm."
    stats = {prefix + f"running_{s}": Tensor((arch.d_model,), (), arch.d_model) for s in ("mean", "var")}
    return {**stats, prefix + "num_batches_tracked": Tensor((), (), 1)}


BUFFERS = {
    "hubert": hubert_buffers,
    "chatglm": chatglm_buffers,
    "deepseek_v4": deepseek_v4_buffers,
    "gemma4": gemma4_buffers,
    "segformer": segformer_buffers,
}


def class_names(data: Mapping[str, Any]) -> list[str]:
    """The class names `architectures` lists; none when it is not a list (the counting side
    reports a malformed one where the family reads it)."""
    names = data.get("architectures")
    return [str(name) for name in names] if isinstance(names, list) else []


def expected_tensors(
    family: str,
    arch: Architecture,
    breakdown: Breakdown,
    data: Mapping[str, Any],
    parts: tuple[Part, ...] = (),
    saved: bool = False,
) -> Expected:
    """The tensors transformers holds for `arch` of `family` (and a composite's `parts`), by
    name (KeyError: no table); with `saved`, as a checkpoint on disk holds them (`Naming.saved`)."""
    naming = NAMINGS[family]
    table = dict(naming.tensors)
    if saved:
        table.update(naming.saved)
    if naming.bare and set(class_names(data)) & set(naming.bare):
        table = {term: name.removeprefix(naming.base) for term, name in table.items()}
    if family in OVERRIDES:
        table.update(OVERRIDES[family](data, arch))
    layers = _layer_indices(naming, arch, data)
    kernels = {
        part.name: (part.spec.n_channel, *part.spec.patch) for part in parts if isinstance(part.spec, EncoderStack)
    }
    grouped: dict[tuple[str, str, str], list[tuple[str, tuple[int, ...]]]] = {}
    copies_of: dict[tuple[str, str], int] = {}
    for section in breakdown.sections:
        part = section.part
        keys = (f"{section.name}/", "") if part == "text" else (f"{part}:{section.name}/", f"{part}:")
        copies_of[part, section.name] = section.copies
        for term in section.terms:
            name = table.get(keys[0] + term.name) or table.get(keys[1] + term.name)
            if name is None:
                raise KeyError(f"{family}: no tensor name for {part} {section.name} term {term.name}")
            grouped.setdefault((part, section.name, name), []).append((term.name, term.shape))
    tensors: dict[str, Tensor] = {}
    for (part, section_name, pattern), members in grouped.items():
        as_written = pattern.endswith("@in_out")
        pattern = pattern.removesuffix("@in_out")
        shape = _stored_shape(members, naming.in_out or as_written, arch)
        if pattern.endswith("@depthwise"):  # a depthwise Conv1d: (channels, 1, kernel)
            pattern = pattern.removesuffix("@depthwise")
            shape = (members[0][1][0], 1, *members[0][1][1:])
        if pattern.endswith("@conv"):
            pattern = pattern.removesuffix("@conv")
            shape = (shape[0], *(kernels.get(part) or _square_kernel(data, naming.patch)))
        if pattern.endswith("@flat"):  # stacked experts kept as one matrix (DBRX): (E*rows, cols)
            pattern = pattern.removesuffix("@flat")
            shape = (shape[0] * shape[1], *shape[2:])
        if pattern.endswith("@3d"):  # a learned tensor kept (1, rows, width) or (1, 1, width)
            pattern = pattern.removesuffix("@3d")
            shape = (1,) * (3 - len(shape)) + shape
        names = tuple(term for term, _ in members)
        first = 1 if "{i+1}" in pattern else 0
        pattern = pattern.replace("{i+1}", "{i}")
        if part != "text":
            indices = [first + i for i in range(copies_of[part, section_name])] if "{i}" in pattern else [0]
        else:
            indices = layers.get(section_name, [0]) if "{i}" in pattern else [0]
        if "{" not in pattern.replace("{i}", "") and not pattern.endswith("@heads"):
            # one tensor per layer: the common case, without _expand (100,000 names in ~50 ms)
            before, _, after = pattern.partition("{i}")
            tensor = Tensor(shape, names, prod(shape))
            tensors.update(dict.fromkeys([f"{before}{index}{after}" for index in indices] if _ else [before], tensor))
            continue
        for index in indices:
            for name, one_shape in _expand(pattern, shape, index, arch):
                tensors[name] = Tensor(one_shape, names, prod(one_shape))
    copies = {}
    present = {term.name for section in breakdown.sections for term in section.terms}
    for copy, needed in naming.copies_if.items():
        if needed in present and copy not in tensors:
            copies[copy] = breakdown.terms("W_E")[0].shape
    classes = class_names(data)
    for copy, suffix in naming.copies_for.items():
        if any(name.endswith(suffix) for name in classes) and copy not in tensors:
            copies[copy] = breakdown.terms("W_E")[0].shape
    for copy in naming.copies:
        name, _, of = copy.partition("@")
        if name not in tensors and breakdown.terms(of or "W_E"):  # (no b_U: a class without the MLM head)
            copies[name] = breakdown.terms(of or "W_E")[0].shape
    buffers = {}
    moe_layers = sorted(i for section, at in layers.items() if section.endswith("MoE layer") for i in at)
    for pattern in naming.buffers:
        for index in moe_layers:  # "MoE layer", or a hybrid's "attention + MoE layer" ...
            name = pattern.format(i=index)
            buffers[name] = Tensor((arch.n_expert,), (), arch.n_expert)
    if family in BUFFERS:
        buffers.update(BUFFERS[family](data, arch))
    if naming.logits_bias and any(name.endswith(tuple(naming.copies_for.values())) for name in classes):
        buffers[naming.logits_bias] = Tensor((1, arch.n_vocab), (), arch.n_vocab)
    return Expected(tensors, copies, buffers, naming.base, naming.renames)


def _square_kernel(data: Mapping[str, Any], patch: int) -> tuple[int, int, int]:
    """(channels, p, p): a standalone vision tower's patch kernel, from its config."""
    size = data.get("patch_size", patch)
    return (data.get("num_channels", 3), size, size)


def _stored_shape(members: list[tuple[str, tuple[int, ...]]], in_out: bool, arch: Architecture) -> tuple[int, ...]:
    """The stored shape of one (possibly fused) tensor: (out, in) for a linear weight."""
    first_name, first = members[0]
    if len(members) > 1:  # fused along the output dimension (the last, in (in, out))
        first = first[:-1] + (sum(shape[-1] for _, shape in members),)
    if len(first) < 2 or first_name in TABLES or in_out:
        return first
    return first[:-2] + (first[-1], first[-2])


def _expand(pattern: str, shape: tuple[int, ...], layer: int, arch: Architecture) -> list[tuple[str, tuple[int, ...]]]:
    """Concrete names: one per expert for a stacked term, one per head for {h}, reshaped for @heads."""
    name = pattern.replace("{i}", str(layer))
    if name.endswith("@heads"):
        return [(name[: -len("@heads")], (shape[0] // arch.d_head, arch.d_head))]
    if "{h}" in name:
        return [(name.replace("{h}", str(h)), (arch.d_head,)) for h in range(shape[0] // arch.d_head)]
    if "{e}" in name:
        return [(name.replace("{e}", str(e)), shape[1:]) for e in range(shape[0])]
    return [(name, shape)]


def _layer_indices(naming: Naming, arch: Architecture, data: Mapping[str, Any]) -> dict[str, list[int]]:
    """Which layer indices each section of the breakdown covers."""
    layers = {"layer": list(range(arch.n_layer)), "encoder layer": list(range(arch.n_encoder_layer))}
    if arch.is_moe:
        if naming.dense_layers == "qwen":
            only = data.get("mlp_only_layers") or []
            step = data.get("decoder_sparse_step") or 1
            dense = [i for i in range(arch.n_layer) if i in only or (i + 1) % step]
        elif naming.dense_layers == "ernie":  # MoE from moe_layer_start_index, every interval
            start = data.get("moe_layer_start_index", 1)
            end = data.get("moe_layer_end_index", -1)
            end = arch.n_layer - 1 if end == -1 else end
            step = data.get("moe_layer_interval", 1)
            dense = [i for i in range(arch.n_layer) if (i + 1) % step or not start <= i <= end]
        else:
            dense = list(range(arch.n_dense_layer))
        layers["dense layer"] = dense
        layers["MoE layer"] = [i for i in range(arch.n_layer) if i not in set(dense)]
    for group in arch.layers:  # a hybrid stack: each kind of layer where it sits
        layers[layers_name(group)] = list(group.indices or range(group.n))
    return layers


NAMINGS["mt5"] = NAMINGS["t5"]
NAMINGS["kimi_k2"] = NAMINGS["deepseek_v3"]  # DeepSeek-V3 under another model_type
NAMINGS["baichuan"] = _llama(  # Baichuan (remote code): Llama's names, q, k and v fused in W_pack
    _qkvo("self_attn.W_pack", "self_attn.W_pack", "self_attn.W_pack", "self_attn.o_proj")
)
NAMINGS["minicpm"] = _llama()  # MiniCPM-1/2 (remote code MiniCPMForCausalLM): Llama's names
NAMINGS["chatglm"] = Naming(  # ChatGLM2/3 (remote code ChatGLMForConditionalGeneration): Megatron's names
    "transformer.",
    {
        "W_E": "transformer.embedding.word_embeddings.weight",
        "norm_final.weight": "transformer.encoder.final_layernorm.weight",
        "norm_final.bias": "transformer.encoder.final_layernorm.bias",
        "W_U": "transformer.output_layer.weight",
        **_prefixed(
            "transformer.encoder.layers.{i}.",
            {
                **_qkvo(
                    "self_attention.query_key_value",
                    "self_attention.query_key_value",
                    "self_attention.query_key_value",
                    "self_attention.dense",
                ),
                **_gated("mlp.dense_h_to_4h", "mlp.dense_h_to_4h", "mlp.dense_4h_to_h"),  # silu(gate) * up, fused
                **_norms("input_layernorm", "post_attention_layernorm"),
            },
        ),
    },
)
NAMINGS["qwen"] = Naming(  # Qwen v1 (remote code QWenLMHeadModel): GPT-2's names, nn.Linear weights
    "transformer.",
    {
        "W_E": "transformer.wte.weight",
        "norm_final.weight": "transformer.ln_f.weight",
        **_HEAD,
        **_prefixed(
            "transformer.h.{i}.",
            {
                **_qkvo("attn.c_attn", "attn.c_attn", "attn.c_attn", "attn.c_proj"),
                **_gated("mlp.w1", "mlp.w2", "mlp.c_proj"),  # w1 * silu(w2), then c_proj
                **_norms("ln_1", "ln_2"),
            },
        ),
    },
    copies=("lm_head.weight",),
)


NAMINGS["gemma3"] = _vlm(
    NAMINGS["gemma3_text"],
    _part("vision", "model.vision_tower.vision_model.", _clip_tower()),
    _part(
        "projector",
        "model.multi_modal_projector.",
        {"norm_mm.weight": "mm_soft_emb_norm.weight", "W_mm": "mm_input_projection_weight@in_out"},
    ),
)
# Gemma 4 (transformers 5 only; no rename on load): Gemma 3's layer, with the MoE block's router
# (its input and per-expert scales), stacked experts (gate and up fused, (n_expert, out, in)) and
# three more norms; the vision tower's linears are wrapped (`.linear`), its positions one table;
# KV-shared layers simply lack k_proj, v_proj and k_norm
NAMINGS["gemma4"] = _vlm(
    _llama(
        _norms(
            "input_layernorm",
            "post_attention_layernorm",
            "pre_feedforward_layernorm",
            "post_feedforward_layernorm",
            "pre_feedforward_layernorm_2",
            "post_feedforward_layernorm_1",
            "post_feedforward_layernorm_2",
        ),
        {
            "W_router": "router.proj.weight",
            "router_scale": "router.scale",
            "expert_scale": "router.per_expert_scale",
            "experts.W_1": "experts.gate_up_proj",
            "experts.W_3": "experts.gate_up_proj",
            "experts.W_2": "experts.down_proj",
        },
    ),
    _part(
        "vision",
        "model.vision_tower.",
        {
            "W_patch": "patch_embedder.input_proj.weight",
            "W_P": "patch_embedder.position_embedding_table",
            **_prefixed(
                "encoder.layers.{i}.",
                {
                    **_qkvo(
                        "self_attn.q_proj.linear",
                        "self_attn.k_proj.linear",
                        "self_attn.v_proj.linear",
                        "self_attn.o_proj.linear",
                    ),
                    "norm_Q.weight": "self_attn.q_norm.weight",
                    "norm_K.weight": "self_attn.k_norm.weight",
                    **_gated("mlp.up_proj.linear", "mlp.gate_proj.linear", "mlp.down_proj.linear"),
                    **_norms(
                        "input_layernorm",
                        "post_attention_layernorm",
                        "pre_feedforward_layernorm",
                        "post_feedforward_layernorm",
                    ),
                },
            ),
        },
    ),
    _part("projector", "model.embed_vision.", {"W_mm": "embedding_projection.weight"}),
    _part("projector", "model.embed_audio.", {"W_mm_audio": "embedding_projection.weight"}),
    # the audio tower (E2B/E4B): a conformer; convolution kernels are kept as written
    _part(
        "audio",
        "model.audio_tower.",
        {
            "conv_0": "subsample_conv_projection.layer0.conv.weight@in_out",
            "norm_conv_0.weight": "subsample_conv_projection.layer0.norm.weight",
            "conv_1": "subsample_conv_projection.layer1.conv.weight@in_out",
            "norm_conv_1.weight": "subsample_conv_projection.layer1.norm.weight",
            "W_in": "subsample_conv_projection.input_proj_linear.weight",
            **_prefixed(
                "layers.{i}.",
                {
                    **{
                        f"W_ffn_{half}_{n}": f"feed_forward{k}.ffw_layer_{n}.linear.weight"
                        for half, k in (("a", 1), ("b", 2))
                        for n in (1, 2)
                    },
                    **{
                        f"norm_ffn_{half}_{when}.weight": f"feed_forward{k}.{when}_layer_norm.weight"
                        for half, k in (("a", 1), ("b", 2))
                        for when in ("pre", "post")
                    },
                    "W_Q": "self_attn.q_proj.linear.weight",
                    "W_K": "self_attn.k_proj.linear.weight",
                    "W_V": "self_attn.v_proj.linear.weight",
                    "W_O": "self_attn.post.linear.weight",
                    "W_K_rel": "self_attn.relative_k_proj.weight",
                    "per_dim_scale": "self_attn.per_dim_scale",
                    "W_conv_start": "lconv1d.linear_start.linear.weight",
                    "conv": "lconv1d.depthwise_conv1d.weight@in_out",
                    "W_conv_end": "lconv1d.linear_end.linear.weight",
                    "norm_conv_pre.weight": "lconv1d.pre_layer_norm.weight",
                    "norm_conv.weight": "lconv1d.conv_norm.weight",
                    "norm_1.weight": "norm_pre_attn.weight",
                    "norm_2.weight": "norm_post_attn.weight",
                    "norm_3.weight": "norm_out.weight",
                },
            ),
            **_linear("out", "output_proj"),
        },
    ),
    # per-layer embeddings (E2B/E4B): the packed (vocab, n_layer x width) table, kept as written
    _part(
        "per-layer",
        "model.language_model.",
        {
            "W_E_layer": "embed_tokens_per_layer.weight@in_out",
            "W_layer_model": "per_layer_model_projection.weight",
            "norm_layer_model.weight": "per_layer_projection_norm.weight",
            "W_layer_gate": "layers.{i}.per_layer_input_gate.weight",
            "W_layer_proj": "layers.{i}.per_layer_projection.weight",
            "norm_layer.weight": "layers.{i}.post_per_layer_input_norm.weight",
        },
    ),
    renames=(),
)
NAMINGS["llava"] = _vlm(
    NAMINGS["llama"],
    _part("vision", "model.vision_tower.vision_model.", _clip_tower()),
    _part(
        "projector", "model.multi_modal_projector.", {**_linear("proj_1", "linear_1"), **_linear("proj_2", "linear_2")}
    ),
)
NAMINGS["llava_next"] = replace(  # LLaVA's names plus the image_newline vector (and a SigLIP tower's pooling head)
    NAMINGS["llava"],
    tensors={
        **NAMINGS["llava"].tensors,
        **_part("vision", "model.vision_tower.vision_model.", _SIGLIP_POOLING_IN_TOWER),
        "projector:image_newline": "model.image_newline",
    },
    renames=(*_LLAVA_RENAMES[:3], ("^image_newline", "model.image_newline"), _LLAVA_RENAMES[3]),
)
NAMINGS["mistral3"] = _vlm(
    NAMINGS["mistral"],
    _part("vision", "model.vision_tower.", _PIXTRAL),
    _part(
        "projector",
        "model.multi_modal_projector.",
        {
            "norm.weight": "norm.weight",
            **_linear("merge", "patch_merger.merging_layer"),
            **_linear("proj_1", "linear_1"),
            **_linear("proj_2", "linear_2"),
        },
    ),
)
_QWEN2_5_VL_TOWER = (  # Qwen2.5-VL's vision tower and patch merger, also EXAONE 4.5's
    _part("vision", "model.visual.", _QWEN_VIT),
    _part(
        "projector",
        "model.visual.merger.",
        {"ln_q.weight": "ln_q.weight", **_linear("merge_1", "mlp.0"), **_linear("merge_2", "mlp.2")},
    ),
)
_QWEN2_5_VL_RENAMES = (("^visual", "model.visual"), (r"^model(?!\.(language_model|visual))", "model.language_model"))
NAMINGS["qwen2_5_vl"] = _vlm(NAMINGS["qwen2"], *_QWEN2_5_VL_TOWER, renames=_QWEN2_5_VL_RENAMES)
# EXAONE 4.0's text model beside Qwen2.5-VL's vision tower (GQA qkv) and merger
NAMINGS["exaone4_5"] = _vlm(NAMINGS["exaone4"], *_QWEN2_5_VL_TOWER, renames=_QWEN2_5_VL_RENAMES)
NAMINGS["kimi_k25"] = _vlm(  # transformers 5: DeepSeek-V3's text model (experts stacked), MoonViT, mm_projector
    replace(
        _llama(
            _DEEPSEEK_MLA,
            {
                "experts.W_1": "mlp.experts.gate_up_proj",
                "experts.W_3": "mlp.experts.gate_up_proj",
                "experts.W_2": "mlp.experts.down_proj",
            },
        ),
        buffers=("model.language_model.layers.{i}.mlp.gate.e_score_correction_bias",),
    ),
    _part(
        "vision",
        "model.vision_tower.",
        {
            "W_patch": "patch_embed.proj.weight@conv",
            "b_patch": "patch_embed.proj.bias",
            "W_P": "patch_embed.pos_emb.position_embeddings",
            **_prefixed(
                "layers.{i}.",
                {
                    **_qkvo("attn.q_proj", "attn.k_proj", "attn.v_proj", "attn.proj"),
                    **_linear("1", "mlp.fc1"),
                    **_linear("2", "mlp.fc2"),
                    **_norms("norm1", "norm2"),
                },
            ),
            "norm_final.weight": "final_layernorm.weight",
            "norm_final.bias": "final_layernorm.bias",
        },
    ),
    _part(
        "projector",
        "model.mm_projector.",
        {"norm.weight": "pre_norm.weight", "norm.bias": "pre_norm.bias"}
        | {**_linear("proj_1", "in_proj"), **_linear("proj_2", "out_proj")},
    ),
    renames=(("^language_model.model", "model.language_model"), ("^language_model.lm_head", "lm_head")),
)
# On disk (what transformers 5.24.0's kimi_k25 conversion loads): the experts one per expert,
# MoonViT's own names (encoder.blocks, q, k and v fused in wqkv, norm0/norm1, fc0/fc1, wo) and
# the projector's nn.Sequential (proj.0, proj.2); transformers adds `model.` to the rest.
NAMINGS["kimi_k25"] = replace(
    NAMINGS["kimi_k25"],
    # transformers loads the patch embedding from either place (its renames or its `model.`)
    renames=(*NAMINGS["kimi_k25"].renames, (r"^vision_tower\.encoder\.patch_embed\.", "vision_tower.patch_embed.")),
    saved={
        **_prefixed("model.language_model.layers.{i}.", _per_expert("mlp.", "up_proj", "gate_proj", "down_proj")),
        **_part(
            "vision",
            "vision_tower.",
            {
                "W_patch": "patch_embed.proj.weight@conv",
                "b_patch": "patch_embed.proj.bias",
                "W_P": "patch_embed.pos_emb.weight",
                **_prefixed(
                    "encoder.blocks.{i}.",
                    {
                        **_qkvo("wqkv", "wqkv", "wqkv", "wo"),
                        **_linear("1", "mlp.fc0"),
                        **_linear("2", "mlp.fc1"),
                        **_norms("norm0", "norm1"),
                    },
                ),
                "norm_final.weight": "encoder.final_layernorm.weight",
                "norm_final.bias": "encoder.final_layernorm.bias",
            },
        ),
        **_part(
            "projector",
            "mm_projector.",
            {"norm.weight": "pre_norm.weight", "norm.bias": "pre_norm.bias"}
            | {**_linear("proj_1", "proj.0"), **_linear("proj_2", "proj.2")},
        ),
    },
)
_BLIP_TEXT = _bert("text_decoder.bert.", "text_decoder.cls.predictions.", "transform.dense", "transform.LayerNorm")
NAMINGS["blip"] = replace(  # BLIP captioning: a BERT decoder with cross-attention, a ViT with a fused qkv
    _BLIP_TEXT,
    base="",
    tensors={
        **_BLIP_TEXT.tensors,
        **_part(
            "cross-attention",
            "text_decoder.bert.encoder.layer.{i}.crossattention.",
            {
                **_linear("cross_Q", "self.query"),
                **_linear("cross_K", "self.key"),
                **_linear("cross_V", "self.value"),
                **_linear("cross_O", "output.dense"),
                "norm_cross.weight": "output.LayerNorm.weight",
                "norm_cross.bias": "output.LayerNorm.bias",
            },
        ),
        **_part(
            "vision",
            "vision_model.",
            {
                "W_patch": "embeddings.patch_embedding.weight@conv",
                "b_patch": "embeddings.patch_embedding.bias",
                "cls": "embeddings.class_embedding@3d",
                "W_P": "embeddings.position_embedding@3d",
                **_prefixed(
                    "encoder.layers.{i}.",
                    {
                        **_qkvo("self_attn.qkv", "self_attn.qkv", "self_attn.qkv", "self_attn.projection"),
                        **_linear("1", "mlp.fc1"),
                        **_linear("2", "mlp.fc2"),
                        **_norms("layer_norm1", "layer_norm2"),
                    },
                ),
                "norm_final.weight": "post_layernorm.weight",
                "norm_final.bias": "post_layernorm.bias",
            },
        ),
    },
)
_QWEN3_VIT = {  # Qwen3-VL's vision tower: biased 3-D patches, learned positions, layernorm blocks
    "W_patch": "patch_embed.proj.weight@conv",
    "b_patch": "patch_embed.proj.bias",
    "W_P": "pos_embed.weight",
    **_prefixed(
        "blocks.{i}.",
        {
            **_qkvo("attn.qkv", "attn.qkv", "attn.qkv", "attn.proj"),
            **_linear("1", "mlp.linear_fc1"),
            **_linear("2", "mlp.linear_fc2"),
            **_norms("norm1", "norm2"),
        },
    ),
}
_QWEN3_MERGER = {"norm.weight": "norm.weight", "norm.bias": "norm.bias"} | {
    **_linear("merge_1", "linear_fc1"),
    **_linear("merge_2", "linear_fc2"),
}
_QWEN3_VL_PARTS = (
    _part("vision", "model.visual.", _QWEN3_VIT),
    _part("projector", "model.visual.merger.", _QWEN3_MERGER),
    # the DeepStack mergers: "<part>:<section>/<term>" keys, so they do not take the merger's names
    _part(
        "projector",
        "",
        {f"deepstack merger/{k}": f"model.visual.deepstack_merger_list.{{i}}.{v}" for k, v in _QWEN3_MERGER.items()},
    ),
)
# Qwen3-VL is saved in transformers' own layout (model.language_model.*, model.visual.*,
# lm_head): its classes rename nothing on load (an empty _checkpoint_conversion_mapping).
NAMINGS["qwen3_vl"] = _vlm(NAMINGS["qwen3"], *_QWEN3_VL_PARTS, renames=())
NAMINGS["qwen3_vl_moe"] = replace(
    _vlm(
        _llama(  # the routed experts stored stacked (in, out), gate and up fused, as gpt_oss
            {
                "W_router": "mlp.gate.weight",
                "experts.W_1": "mlp.experts.gate_up_proj@in_out",
                "experts.W_3": "mlp.experts.gate_up_proj@in_out",
                "experts.W_2": "mlp.experts.down_proj@in_out",
            }
        ),
        *_QWEN3_VL_PARTS,
        renames=(),
    ),
    dense_layers="qwen",
)
_GLM4V_VIT = {  # GLM-4V's vision tower (GLM-4.1V, GLM-4.5V): RMSNorm blocks, bias-free gated MLP
    "W_patch": "patch_embed.proj.weight@conv",
    "b_patch": "patch_embed.proj.bias",
    "W_P": "embeddings.position_embedding.weight",
    **_prefixed(
        "blocks.{i}.",
        {
            **_qkvo("attn.qkv", "attn.qkv", "attn.qkv", "attn.proj"),
            **_gated("mlp.up_proj", "mlp.gate_proj", "mlp.down_proj"),
            **_norms("norm1", "norm2"),
        },
    ),
    "norm_final.weight": "post_layernorm.weight",
    "norm_post_conv.weight": "post_conv_layernorm.weight",
    "W_downsample": "downsample.weight@in_out",  # a Conv2d kernel, kept (out, in, k, k)
    "b_downsample": "downsample.bias",
}
_GLM4V_MERGER = {
    "W_proj": "proj.weight",
    "norm.weight": "post_projection_norm.weight",
    "norm.bias": "post_projection_norm.bias",
    "W_merge_1": "up_proj.weight",
    "W_merge_3": "gate_proj.weight",
    "W_merge_2": "down_proj.weight",
}
_GLM4_LAYERS = (  # GLM-4-0414's layer (GLM-4.1V's text model): gate and up fused, four RMSNorms
    _gated("mlp.gate_up_proj", "mlp.gate_up_proj", "mlp.down_proj"),
    _norms("input_layernorm", "post_self_attn_layernorm", "post_attention_layernorm", "post_mlp_layernorm"),
)
NAMINGS["glm4v"] = _vlm(  # GLM-4.1V: saved in transformers' own layout, like glm4v_moe
    _llama(*_GLM4_LAYERS),
    _part("vision", "model.visual.", _GLM4V_VIT),
    _part("projector", "model.visual.merger.", _GLM4V_MERGER),
    renames=(),
)
NAMINGS["glm4v_moe"] = replace(  # saved in transformers' own layout: nothing renamed on load
    _vlm(
        NAMINGS["glm4_moe"],
        _part("vision", "model.visual.", _GLM4V_VIT),
        _part("projector", "model.visual.merger.", _GLM4V_MERGER),
        renames=(),
    ),
    buffers=("model.language_model.layers.{i}.mlp.gate.e_score_correction_bias",),
)
NAMINGS["qwen2_vl"] = _vlm(  # Qwen2-VL's tower: layernorm blocks, a plain MLP (fc1, fc2), biases
    NAMINGS["qwen2"],
    _part(
        "vision",
        "model.visual.",
        {
            "W_patch": "patch_embed.proj.weight@conv",
            **_prefixed(
                "blocks.{i}.",
                {
                    **_qkvo("attn.qkv", "attn.qkv", "attn.qkv", "attn.proj"),
                    **_linear("1", "mlp.fc1"),
                    **_linear("2", "mlp.fc2"),
                    **_norms("norm1", "norm2"),
                },
            ),
        },
    ),
    _part(
        "projector",
        "model.visual.merger.",
        {
            "ln_q.weight": "ln_q.weight",
            "ln_q.bias": "ln_q.bias",
            **_linear("merge_1", "mlp.0"),
            **_linear("merge_2", "mlp.2"),
        },
    ),
    renames=NAMINGS["qwen2_5_vl"].renames,
)
_QWEN3_5_TEXT = _llama(  # Qwen3.5's Gated DeltaNet keeps four input projections; q_proj also holds the gate
    _GATED_DELTANET,
    {
        "W_qkv": "linear_attn.in_proj_qkv.weight",
        "W_z": "linear_attn.in_proj_z.weight",
        "W_b": "linear_attn.in_proj_b.weight",
        "W_a": "linear_attn.in_proj_a.weight",
        "W_gate": "self_attn.q_proj.weight",
    },
    _QWEN_MOE,
    {  # transformers 5 stacks the routed experts, gate and up fused, each (n_expert, out, in)
        "experts.W_1": "mlp.experts.gate_up_proj",
        "experts.W_3": "mlp.experts.gate_up_proj",
        "experts.W_2": "mlp.experts.down_proj",
    },
)
# Qwen3.5: Qwen3-VL's tower and patch merger without the DeepStack mergers; checkpoints hold
# these names (no rename on load); `mtp.*` is not built
NAMINGS["qwen3_5"] = _vlm(_QWEN3_5_TEXT, *_QWEN3_VL_PARTS[:2], renames=())
NAMINGS["qwen3_5_moe"] = replace(  # experts stacked as in memory, or one per expert (conversion_mapping.py)
    # Qwen3.5-35B-A3B as released holds them stacked (tests/checkpoint/published/qwen3.5-35b-a3b);
    # transformers 5.24.0 loads the per-expert layout too
    NAMINGS["qwen3_5"],
    saved=_prefixed("model.language_model.layers.{i}.", _per_expert("mlp.", "up_proj", "gate_proj", "down_proj")),
)
_BERT = _bert("bert.", "cls.predictions.", "transform.dense", "transform.LayerNorm", ("BertModel",))
NAMINGS["bert"] = replace(_BERT, tensors={**_BERT.tensors, **_part("head", "", _linear("cls", "classifier"))})
_ROBERTA = _bert("roberta.", "lm_head.", "dense", "layer_norm", ("RobertaModel", "XLMRobertaModel"))
NAMINGS["roberta"] = replace(_ROBERTA, tensors={**_ROBERTA.tensors, **_part("head", "", _linear("cls", "classifier"))})
NAMINGS["xlm-roberta"] = NAMINGS["roberta"]
NAMINGS["mobilebert"] = Naming(  # BERT's names around bottlenecks, stacked ffn.{j} MLPs and a widened MLM decoder
    "mobilebert.",
    {
        "W_E": "mobilebert.embeddings.word_embeddings.weight",
        **_part(
            "embeddings",
            "mobilebert.embeddings.",
            {
                "W_P": "position_embeddings.weight",
                "W_T": "token_type_embeddings.weight",
                **_linear("embed", "embedding_transformation"),
                "norm_embed.weight": "LayerNorm.weight",
                "norm_embed.bias": "LayerNorm.bias",
            },
        ),
        **_prefixed(
            "mobilebert.encoder.layer.{i}.",
            {
                **_linear("Q", "attention.self.query"),
                **_linear("K", "attention.self.key"),
                **_linear("O", "attention.output.dense"),
                **_linear("1", "intermediate.dense"),
                **_linear("2", "output.dense"),
                **_norms("attention.output.LayerNorm", "output.LayerNorm"),
            },
        ),
        **_part(
            "encoder",
            "mobilebert.encoder.layer.{i}.",
            {
                **_linear("V", "attention.self.value"),
                **_linear("in", "bottleneck.input.dense"),
                "norm_in.weight": "bottleneck.input.LayerNorm.weight",
                "norm_in.bias": "bottleneck.input.LayerNorm.bias",
                **_linear("in_QK", "bottleneck.attention.dense"),
                "norm_in_QK.weight": "bottleneck.attention.LayerNorm.weight",
                "norm_in_QK.bias": "bottleneck.attention.LayerNorm.bias",
                **_linear("out", "output.bottleneck.dense"),
                "norm_out.weight": "output.bottleneck.LayerNorm.weight",
                "norm_out.bias": "output.bottleneck.LayerNorm.bias",
            },
        ),
        **{
            f"encoder:stacked MLP {j + 1}/{term}": f"mobilebert.encoder.layer.{{i}}.ffn.{j}.{name}"
            for j in range(16)
            for term, name in {
                **_linear("ffn_1", "intermediate.dense"),
                **_linear("ffn_2", "output.dense"),
                "norm_ffn.weight": "output.LayerNorm.weight",
                "norm_ffn.bias": "output.LayerNorm.bias",
            }.items()
        },
        **_part("head", "mobilebert.", _linear("pool", "pooler.dense")),
        **_part(
            "head",
            "cls.predictions.",
            {
                **_linear("mlm", "transform.dense"),
                "norm_mlm.weight": "transform.LayerNorm.weight",
                "norm_mlm.bias": "transform.LayerNorm.bias",
                "W_U_extra": "dense.weight",
            },
        ),
        "b_U": "cls.predictions.bias",
        **_part("head", "", _linear("cls", "classifier")),
    },
    bare=("MobileBertModel",),
    copies=("cls.predictions.decoder.bias@b_U",),
    copies_if={"cls.predictions.decoder.weight": "b_U"},  # the tied decoder of the MLM classes
)
_MPNET = _bert("mpnet.", "lm_head.", "dense", "layer_norm")
NAMINGS["mpnet"] = replace(  # attention.attn.q/k/v/o, no token types, the shared relative position bias
    _MPNET,
    tensors={
        **{term: name for term, name in _MPNET.tensors.items() if term != "embeddings:W_T"},
        **_prefixed(
            "mpnet.encoder.layer.{i}.",
            {
                **_qkvo("attention.attn.q", "attention.attn.k", "attention.attn.v", "attention.attn.o"),
                **_norms("attention.LayerNorm", "output.LayerNorm"),
            },
        ),
        "encoder:R_bias": "mpnet.encoder.relative_attention_bias.weight@in_out",
        **_part("head", "mpnet.", _linear("pool", "pooler.dense")),
        **_part("head", "classifier.", {**_linear("cls_dense", "dense"), **_linear("cls", "out_proj")}),
    },
    bare=("MPNetModel",),
    copies=("lm_head.decoder.bias@b_U",),
    copies_if={"lm_head.decoder.weight": "b_U"},  # MPNetForMaskedLM's tied decoder and its bias
)
NAMINGS["mamba"] = _MAMBA
NAMINGS["falcon_mamba"] = _MAMBA
NAMINGS["jamba"] = _llama(  # the FFN is feed_forward (a gated MLP or the experts), norm_2 pre_ff_layernorm
    _mamba("mamba."),
    _gated("feed_forward.up_proj", "feed_forward.gate_proj", "feed_forward.down_proj"),
    _experts("feed_forward.", "up_proj", "gate_proj", "down_proj", "shared_expert"),
    {"W_router": "feed_forward.router.weight", "norm_2.weight": "pre_ff_layernorm.weight"},
    top={"W_E": "model.embed_tokens.weight", "norm_final.weight": "model.final_layernorm.weight"},
)
NAMINGS["qwen3_next"] = _llama(_QWEN_MOE, _GATED_DELTANET, {"W_gate": "self_attn.q_proj.weight"})  # q and gate fused
NAMINGS["granitemoehybrid"] = _llama(  # Granite 4.0-H: granitemoe's stacked experts, a fused shared MLP
    _MAMBA2,
    _GRANITE_EXPERTS,
    {
        "W_1": "shared_mlp.input_linear.weight",
        "W_3": "shared_mlp.input_linear.weight",
        "W_2": "shared_mlp.output_linear.weight",
        "shared.W_1": "shared_mlp.input_linear.weight",
        "shared.W_3": "shared_mlp.input_linear.weight",
        "shared.W_2": "shared_mlp.output_linear.weight",
    },
)
NAMINGS["falcon_h1"] = _llama(  # attention and Mamba-2 side by side in every layer
    _MAMBA2,
    _gated("feed_forward.up_proj", "feed_forward.gate_proj", "feed_forward.down_proj"),
    {"norm_2.weight": "pre_ff_layernorm.weight"},
    top={"W_E": "model.embed_tokens.weight", "norm_final.weight": "model.final_layernorm.weight"},
)
NAMINGS["nemotron_h"] = Naming(  # one norm and one mixer per layer: mamba, attention, MLP or MoE
    "model.",
    {
        "W_E": "model.embeddings.weight",
        "norm_final.weight": "model.norm_f.weight",
        **_HEAD,
        **_prefixed(
            "model.layers.{i}.",
            {
                **{key: name.replace("mamba.", "mixer.", 1) for key, name in _MAMBA2.items()},
                **_qkvo("mixer.q_proj", "mixer.k_proj", "mixer.v_proj", "mixer.o_proj"),
                **_linear("1", "mixer.up_proj"),
                **_linear("2", "mixer.down_proj"),
                "W_router": "mixer.gate.weight",
                "experts.W_1": "mixer.experts.up_proj",  # stacked (E, d_ff, width), as 5.x builds them
                "experts.W_2": "mixer.experts.down_proj",
                **{f"shared.{k}": v for k, v in _linear("1", "mixer.shared_experts.up_proj").items()},
                **{f"shared.{k}": v for k, v in _linear("2", "mixer.shared_experts.down_proj").items()},
                **_linear("latent_in", "mixer.fc1_latent_proj"),
                **_linear("latent_out", "mixer.fc2_latent_proj"),
                "norm_1.weight": "norm.weight",
            },
        ),
    },
    buffers=("model.layers.{i}.mixer.gate.e_score_correction_bias",),
    renames=((r"^backbone\.", "model."),),  # the published checkpoints' prefix, renamed on load
    saved=_prefixed("model.layers.{i}.", _per_expert("mixer.", "up_proj", down="down_proj")),
)
# GLM-5: DeepSeek-V3.2's modules and names (latent attention, the indexer, the experts stacked as
# transformers 5 builds them, gate and up fused); only which layers hold an indexer differs
NAMINGS["glm_moe_dsa"] = NAMINGS["deepseek_v32"]
NAMINGS["minimax_m2"] = replace(  # the experts stacked as transformers 5 builds them, gate and up fused
    _llama(
        {
            "W_router": "mlp.gate.weight",
            "experts.W_1": "mlp.experts.gate_up_proj",
            "experts.W_3": "mlp.experts.gate_up_proj",
            "experts.W_2": "mlp.experts.down_proj",
        }
    ),
    buffers=("model.layers.{i}.mlp.e_score_correction_bias",),
    # on disk Mixtral's names: block_sparse_moe, experts.{e}.w1 (gate), w3 (up), w2 (down)
    renames=((r"\.block_sparse_moe\.", ".mlp."),),
    saved=_prefixed("model.layers.{i}.", _per_expert("mlp.", "w3", "w1", "w2")),
)
NAMINGS["deepseek_v4"] = replace(  # compressors and indexer under self_attn, hyper-connections
    _llama(
        {
            "W_DQ": "self_attn.q_a_proj.weight",
            "norm_DQ.weight": "self_attn.q_a_norm.weight",
            "W_UQ": "self_attn.q_b_proj.weight",
            "W_KV": "self_attn.kv_proj.weight",
            "norm_KV.weight": "self_attn.kv_norm.weight",
            "W_OA": "self_attn.o_a_proj.weight",
            "W_OB": "self_attn.o_b_proj.weight",
            "sinks": "self_attn.sinks",
            "W_ckv": "self_attn.compressor.kv_proj.weight",
            "W_cgate": "self_attn.compressor.gate_proj.weight",
            "c_position": "self_attn.compressor.position_bias@in_out",
            "norm_ckv.weight": "self_attn.compressor.kv_norm.weight",
            "W_ikv": "self_attn.compressor.indexer.kv_proj.weight",
            "W_igate": "self_attn.compressor.indexer.gate_proj.weight",
            "i_position": "self_attn.compressor.indexer.position_bias@in_out",
            "norm_ikv.weight": "self_attn.compressor.indexer.kv_norm.weight",
            "W_IQ": "self_attn.compressor.indexer.q_b_proj.weight",
            "W_Iw": "self_attn.compressor.indexer.scorer.weights_proj.weight",
            **_experts("mlp.", "up_proj", "gate_proj", "down_proj", "shared_experts"),
            "experts.W_1": "mlp.experts.gate_up_proj",
            "experts.W_3": "mlp.experts.gate_up_proj",
            "experts.W_2": "mlp.experts.down_proj",
            **{f"W_hc_{site}": f"{site}_hc.fn@in_out" for site in ("attn", "ffn")},
            **{f"b_hc_{site}": f"{site}_hc.base" for site in ("attn", "ffn")},
            **{f"hc_{site}_scale": f"{site}_hc.scale" for site in ("attn", "ffn")},
        },
        top={
            **_MODEL_TOP,
            "W_hc_head": "model.hc_head.hc_fn@in_out",
            "b_hc_head": "model.hc_head.hc_base",
            "hc_head_scale": "model.hc_head.hc_scale",
        },
    ),
)  # its router buffers differ by layer: deepseek_v4_buffers
# DeepSeek-V4 on disk: DeepSeek's own names without the `model.` prefix (embed, layers.{i}.attn,
# ffn, experts.{e}.w1 gate, w3 up, w2 down ...): conversion_mapping.py's deepseek_v4 renames
# reversed, applied in turn to the names in memory, as transformers applies them on load.
_DEEPSEEK_V4_ON_DISK = (
    (r"^model\.", ""),
    (r"^embed_tokens\.", "embed."),
    (r"^lm_head\.", "head."),
    (r"^hc_head\.hc_", "hc_head_"),
    (r"\.input_layernorm\.", ".attn_norm."),
    (r"\.post_attention_layernorm\.", ".ffn_norm."),
    (r"\.(attn|ffn)_hc\.(fn|base|scale)", r".hc_\1_\2"),
    (r"\.sinks$", ".attn_sink"),
    (r"\.compressor\.indexer\.scorer\.weights_proj\.", ".indexer.weights_proj."),
    (r"\.compressor\.indexer\.q_b_proj\.", ".indexer.wq_b."),
    (r"\.compressor\.indexer\.", ".indexer.compressor."),
    (r"\.kv_norm\.", ".norm."),
    (r"\.position_bias", ".ape"),
    (r"\.q_a_proj\.", ".wq_a."),
    (r"\.q_b_proj\.", ".wq_b."),
    (r"\.kv_proj\.", ".wkv."),
    (r"\.shared_experts\.gate_proj\.", ".shared_experts.w1."),
    (r"\.shared_experts\.down_proj\.", ".shared_experts.w2."),
    (r"\.shared_experts\.up_proj\.", ".shared_experts.w3."),
    (r"\.gate_proj\.", ".wgate."),
    (r"\.o_a_proj\.", ".wo_a."),
    (r"\.o_b_proj\.", ".wo_b."),
    (r"\.q_a_norm\.", ".q_norm."),
    (r"\.self_attn\.", ".attn."),
    (r"\.mlp\.", ".ffn."),
)


def _renamed(name: str, renames: tuple[tuple[str, str], ...]) -> str:
    for pattern, replacement in renames:
        name = re.sub(pattern, replacement, name)
    return name


NAMINGS["deepseek_v4"] = replace(
    NAMINGS["deepseek_v4"],
    saved={
        **{term: _renamed(name, _DEEPSEEK_V4_ON_DISK) for term, name in NAMINGS["deepseek_v4"].tensors.items()},
        **_prefixed("layers.{i}.", _per_expert("ffn.", "w3", "w1", "w2")),
    },
    # the router's buffers on disk: the score-correction bias as gate.bias, the hash table
    renames=(
        # DeepSeek's own files name the attention's norm kv_norm, which transformers' `.norm.` ->
        # `.kv_norm.` leaves as it is; its reversal (what save_pretrained writes) gives attn.norm
        (r"^(layers\.\d+\.attn)\.kv_norm\.", r"\1.norm."),
        (r"^layers\.(\d+)\.ffn\.gate\.bias$", r"model.layers.\1.mlp.gate.e_score_correction_bias"),
        (r"^layers\.(\d+)\.ffn\.gate\.tid2eid$", r"model.layers.\1.mlp.gate.tid2eid"),
    ),
)
NAMINGS["lfm2"] = _llama(  # short convolutions; the final norm is called embedding_norm
    {
        **_linear("in", "conv.in_proj"),
        "conv": "conv.conv.weight@depthwise",
        "b_conv": "conv.conv.bias",
        **_linear("out", "conv.out_proj"),
        **_linear("O", "self_attn.out_proj"),
        "norm_Q.weight": "self_attn.q_layernorm.weight",
        "norm_K.weight": "self_attn.k_layernorm.weight",
        **_gated("feed_forward.w3", "feed_forward.w1", "feed_forward.w2"),
        **_norms("operator_norm", "ffn_norm"),
    },
    top={"W_E": "model.embed_tokens.weight", "norm_final.weight": "model.embedding_norm.weight"},
)
NAMINGS["vit"] = _VIT
NAMINGS["segformer"] = Naming(  # segformer.encoder.block.{stage}.{i}; the last stage's names come from OVERRIDES
    "segformer.",
    {
        **{key: name for s in range(8) for key, name in _part(f"stage{s + 1}", "", _segformer_stage(s)).items()},
        **{
            f"head:{term}": name
            for s in range(8)
            for term, name in _linear(f"decode{s + 1}", f"decode_head.linear_c.{s}.proj").items()
        },
        "head:W_fuse": "decode_head.linear_fuse.weight@in_out",
        "head:norm_fuse.weight": "decode_head.batch_norm.weight",
        "head:norm_fuse.bias": "decode_head.batch_norm.bias",
        "head:W_seg": "decode_head.classifier.weight@in_out",
        "head:b_seg": "decode_head.classifier.bias",
        **_part("head", "", _linear("cls", "classifier")),
    },
    bare=("SegformerModel",),
)
NAMINGS["yolos"] = replace(  # ViT's names, the detection tokens, mid positions and the two detection MLPs
    _VIT,
    tensors={
        **{term: name for term, name in _VIT.tensors.items() if not term.startswith("head:")},
        "embeddings:det": "vit.embeddings.detection_tokens@3d@in_out",
        "encoder:W_P_mid": "vit.encoder.mid_position_embeddings@in_out",
        **_part("head", "vit.", _linear("pool", "pooler.dense")),
        **{
            f"head:{term}": f"{module}.layers.{j - 1}.{param}"
            for name, module in (("class", "class_labels_classifier"), ("box", "bbox_predictor"))
            for j in (1, 2, 3)
            for term, param in (("W_" + f"{name}_{j}", "weight"), ("b_" + f"{name}_{j}", "bias"))
        },
    },
    bare=("YolosModel",),
)


def _wav2vec2(base: str) -> dict[str, str]:
    """wav2vec 2.0's names under `base` (wav2vec2., wavlm.): the feature encoder's conv_layers.{j},
    the feature projection, the weight-normalised positional convolution, encoder.layers.{i}."""
    front = {"W_features": "feature_projection.projection.weight", "b_features": "feature_projection.projection.bias"}
    front |= {"norm_features.weight": "feature_projection.layer_norm.weight"}
    front |= {"norm_features.bias": "feature_projection.layer_norm.bias", "masked": "masked_spec_embed"}
    for j in range(16):
        layer = f"feature_extractor.conv_layers.{j}."
        front |= {f"W_conv{j}": layer + "conv.weight@in_out", f"b_conv{j}": layer + "conv.bias"}
        front |= {f"norm_conv{j}.weight": layer + "layer_norm.weight", f"norm_conv{j}.bias": layer + "layer_norm.bias"}
    front |= {
        "W_pos_g": "encoder.pos_conv_embed.conv.parametrizations.weight.original0@in_out",
        "W_pos_v": "encoder.pos_conv_embed.conv.parametrizations.weight.original1@in_out",
        "b_pos": "encoder.pos_conv_embed.conv.bias",
    }
    head = {
        "layer_weights": "layer_weights",
        **_linear("ctc", "lm_head"),
        **_linear("proj", "projector"),
        **_linear("cls", "classifier"),
        "codevectors": "quantizer.codevectors@in_out",
        **_linear("code_select", "quantizer.weight_proj"),
        **_linear("proj_hidden", "project_hid"),
        **_linear("proj_code", "project_q"),
    }
    return {
        **_part("embeddings", base, front),
        **_prefixed(
            f"{base}encoder.layers.{{i}}.",
            {
                **_qkvo("attention.q_proj", "attention.k_proj", "attention.v_proj", "attention.out_proj"),
                **_linear("1", "feed_forward.intermediate_dense"),
                **_linear("2", "feed_forward.output_dense"),
                **_norms("layer_norm", "final_layer_norm"),
            },
        ),
        **{
            f"norm_{which}.{p}": f"{base}encoder.layer_norm.{p}" for which in ("E", "final") for p in ("weight", "bias")
        },
        **_part("head", "", head),
    }


NAMINGS["wav2vec2"] = Naming("wav2vec2.", _wav2vec2("wav2vec2."), bare=("Wav2Vec2Model",))
NAMINGS["wavlm"] = Naming(  # wav2vec 2.0's names, the gated relative position bias in each layer's attention
    "wavlm.",
    {
        **_wav2vec2("wavlm."),
        **_part(
            "encoder",
            "wavlm.encoder.layers.{i}.attention.",
            {"gate_const": "gru_rel_pos_const@in_out", **_linear("gate", "gru_rel_pos_linear")},
        ),
        "encoder:R_bias": "wavlm.encoder.layers.0.attention.rel_attn_embed.weight@in_out",
    },
    bare=("WavLMModel",),
)
NAMINGS["hubert"] = Naming(  # wav2vec 2.0's names; conv_pos_batch_norm: a BatchNorm and a plain conv
    "hubert.",
    {
        **_wav2vec2("hubert."),
        "embeddings:norm_pos.weight": "hubert.encoder.pos_conv_embed.batch_norm.weight",
        "embeddings:norm_pos.bias": "hubert.encoder.pos_conv_embed.batch_norm.bias",
        "embeddings:W_pos": "hubert.encoder.pos_conv_embed.conv.weight@in_out",
    },
    bare=("HubertModel",),
)
NAMINGS["dinov2"] = Naming(  # ViT's names under dinov2.*, norm1/norm2, mlp.fc1/fc2, LayerScale and the mask token
    "dinov2.",
    {
        "W_P": "dinov2.embeddings.position_embeddings@3d",
        **_part(
            "embeddings",
            "dinov2.embeddings.",
            {**_linear("patch", "patch_embeddings.projection"), "cls": "cls_token@3d", "mask": "mask_token@in_out"},
        ),
        "embeddings:W_patch": "dinov2.embeddings.patch_embeddings.projection.weight@conv",
        **_prefixed(
            "dinov2.encoder.layer.{i}.",
            {
                **_qkvo(
                    "attention.attention.query",
                    "attention.attention.key",
                    "attention.attention.value",
                    "attention.output.dense",
                ),
                **_linear("1", "mlp.fc1"),
                **_linear("2", "mlp.fc2"),
                **_norms("norm1", "norm2"),
            },
        ),
        **_part(
            "encoder",
            "dinov2.encoder.layer.{i}.",
            {"scale_1": "layer_scale1.lambda1", "scale_2": "layer_scale2.lambda1"},
        ),
        "norm_final.weight": "dinov2.layernorm.weight",
        "norm_final.bias": "dinov2.layernorm.bias",
        **_part("head", "", _linear("cls", "classifier")),
    },
    patch=14,
    bare=("Dinov2Model",),
)
NAMINGS["lfm2_vl"] = _vlm(  # a SigLIP2 tower: its patch embedding is a linear layer over flattened patches
    NAMINGS["lfm2"],
    _part(
        "vision",
        "model.vision_tower.vision_model.",
        {
            **_clip_tower(),
            "W_patch": "embeddings.patch_embedding.weight",
            **_SIGLIP_POOLING_IN_TOWER,
        },
    ),
    _part(
        "projector",
        "model.multi_modal_projector.",
        {
            "norm_mm.weight": "layer_norm.weight",
            "norm_mm.bias": "layer_norm.bias",
            **_linear("proj_1", "linear_1"),
            **_linear("proj_2", "linear_2"),
        },
    ),
)
NAMINGS["lfm2-vl"] = NAMINGS["lfm2_vl"]  # LiquidAI's spelling of the same model type
NAMINGS["clip_vision_model"] = _vision_model(  # CLIPVisionModelWithProjection: visual_projection
    _part("head", "", _linear("proj", "visual_projection")), patch=32
)
NAMINGS["siglip_vision_model"] = _vision_model(_SIGLIP_POOLING, patch=16)
NAMINGS["modernbert"] = Naming(  # fused Wqkv and Wi; layer 0 has no attn_norm (the part counts the rest)
    "model.",
    {
        "W_E": "model.embeddings.tok_embeddings.weight",
        "norm_E.weight": "model.embeddings.norm.weight",
        "norm_E.bias": "model.embeddings.norm.bias",
        **_prefixed(
            "model.layers.{i}.",
            {
                **_qkvo("attn.Wqkv", "attn.Wqkv", "attn.Wqkv", "attn.Wo"),
                **_gated("mlp.Wi", "mlp.Wi", "mlp.Wo"),
                **_norms("mlp_norm"),
            },
        ),
        **_part(
            "encoder",
            "model.layers.{i+1}.",
            {"norm_attn.weight": "attn_norm.weight", "norm_attn.bias": "attn_norm.bias"},
        ),
        "norm_final.weight": "model.final_norm.weight",
        "norm_final.bias": "model.final_norm.bias",
        "W_U": "decoder.weight",
        "b_U": "decoder.bias",
        **_part(
            "head",
            "",
            {
                **_linear("head", "head.dense"),
                "norm_head.weight": "head.norm.weight",
                "norm_head.bias": "head.norm.bias",
                **_linear("cls", "classifier"),
            },
        ),
    },
    bare=("ModernBertModel",),
    copies_if={"decoder.weight": "b_U"},  # ModernBertForMaskedLM's tied decoder
)
NAMINGS["mamba2"] = replace(  # Mamba2ForCausalLM: backbone.layers.{i}.mixer (the Mamba-2 mixer), norm
    _MAMBA,
    tensors={
        "W_E": "backbone.embeddings.weight",
        "norm_final.weight": "backbone.norm_f.weight",
        **_HEAD,
        **_prefixed(
            "backbone.layers.{i}.",
            {
                **{term: name.replace("mamba.", "mixer.", 1) for term, name in _MAMBA2.items()},
                "norm_1.weight": "norm.weight",
            },
        ),
    },
)
_CLIP_TEXT = {  # CLIPModel's and SigLIP's text tower: text_model.embeddings, encoder.layers, final_layer_norm
    "W_E": "text_model.embeddings.token_embedding.weight",
    "W_P": "text_model.embeddings.position_embedding.weight",
    **_prefixed(
        "text_model.encoder.layers.{i}.",
        {
            **_qkvo("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj"),
            **_linear("1", "mlp.fc1"),
            **_linear("2", "mlp.fc2"),
            **_norms("layer_norm1", "layer_norm2"),
        },
    ),
    "norm_final.weight": "text_model.final_layer_norm.weight",
    "norm_final.bias": "text_model.final_layer_norm.bias",
}
NAMINGS["clip"] = Naming(  # CLIPModel: the text tower, vision_model.*, the projections and logit_scale
    "",
    {
        **_CLIP_TEXT,
        **_part("vision", "vision_model.", _clip_tower()),
        **_part("head", "", {"W_proj_vision": "visual_projection.weight", "W_proj_text": "text_projection.weight"}),
        "head:logit_scale": "logit_scale",
    },
)
NAMINGS["clip_text_model"] = Naming(  # CLIPTextModel: text_model.*; WithProjection: text_projection
    "text_model.", {**_CLIP_TEXT, "head:W_proj": "text_projection.weight"}
)
NAMINGS["siglip"] = Naming(  # SiglipModel: the text tower and its head, vision_model.* with its pooling head
    "",
    {
        **_CLIP_TEXT,
        **_linear("text_head", "text_model.head"),  # the text part's terms carry no part prefix
        **_part(
            "vision",
            "vision_model.",
            {
                **_clip_tower(),
                **_SIGLIP_POOLING_IN_TOWER,
            },
        ),
        "head:logit_scale": "logit_scale",
        "head:logit_bias": "logit_bias",
    },
)
NAMINGS["siglip2"] = replace(  # Siglip2Model: SigLIP's names; the patch embedding a linear over flattened patches
    NAMINGS["siglip"],
    tensors={**NAMINGS["siglip"].tensors, "vision:W_patch": "vision_model.embeddings.patch_embedding.weight"},
)
NAMINGS["distilbert"] = _DISTILBERT
NAMINGS["electra"] = replace(  # ElectraForPreTraining: embeddings_project, discriminator_predictions
    _bert("electra.", "", "", ""),
    tensors={
        **{
            term: name
            for term, name in _bert("electra.", "", "", "").tensors.items()
            if not term.startswith("head:") and term != "b_U"
        },
        **_linear("in", "electra.embeddings_project"),
        **_part(
            "head",
            "discriminator_predictions.",
            {**_linear("cls_dense", "dense"), **_linear("cls", "dense_prediction")},
        ),
    },
    copies=(),
)
NAMINGS["bart"] = _BART
NAMINGS["marian"] = replace(_BART, copies_for={"lm_head.weight": "MTModel"})  # MarianMTModel
NAMINGS["mbart"] = replace(  # BART's names, pre-LN: a final layer_norm per stack
    _BART,
    tensors={
        **_BART.tensors,
        **{
            f"norm_{stack}final.{p}": f"model.{stack}.layer_norm.{p}"
            for stack in ("encoder", "decoder")
            for p in ("weight", "bias")
        },
    },
)
NAMINGS["whisper"] = _WHISPER
NAMINGS["m2m_100"] = _M2M100
_DEBERTA = _bert("deberta.", "cls.predictions.", "transform.dense", "transform.LayerNorm")
NAMINGS["deberta-v2"] = replace(  # query_proj..., and the encoder's relative positions and conv
    _DEBERTA,
    tensors={
        **_DEBERTA.tensors,
        **_prefixed(
            "deberta.encoder.layer.{i}.",
            _qkvo(
                "attention.self.query_proj",
                "attention.self.key_proj",
                "attention.self.value_proj",
                "attention.output.dense",
            ),
        ),
        **_part(
            "encoder",
            "deberta.encoder.",
            {
                "W_R": "rel_embeddings.weight@in_out",
                "norm_R.weight": "LayerNorm.weight",
                "norm_R.bias": "LayerNorm.bias",
                "W_conv": "conv.conv.weight@in_out",
                "b_conv": "conv.conv.bias",
                "norm_conv.weight": "conv.LayerNorm.weight",
                "norm_conv.bias": "conv.LayerNorm.bias",
            },
        ),
    },
)


_WHISPER_ENCODER = {  # Whisper's encoder as Qwen2-Audio and Voxtral hold it (audio_tower.)
    "W_conv1": "conv1.weight@in_out",
    "b_conv1": "conv1.bias",
    "W_conv2": "conv2.weight@in_out",
    "b_conv2": "conv2.bias",
    "W_P": "embed_positions.weight",
    **_prefixed(
        "layers.{i}.",
        {
            **_qkvo("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj"),
            **_linear("1", "fc1"),
            **_linear("2", "fc2"),
            **_norms("self_attn_layer_norm", "final_layer_norm"),
        },
    ),
    "norm_final.weight": "layer_norm.weight",
    "norm_final.bias": "layer_norm.bias",
}


def _language_model(text: Naming, *parts: Mapping[str, str]) -> Naming:
    """An audio-language model: the text model's table under language_model. (its own layout,
    no renames on load), beside its parts' tables."""
    tensors = {term: f"language_model.{name}" for term, name in text.tensors.items()}
    for table in parts:
        tensors.update(table)
    copies = tuple(f"language_model.{name}" for name in text.copies)
    return replace(text, tensors=tensors, base="", copies=copies)


NAMINGS["qwen2_audio"] = _language_model(
    NAMINGS["qwen2"],
    _part("audio", "audio_tower.", _WHISPER_ENCODER),
    _part("projector", "multi_modal_projector.", _linear("proj", "linear")),
)
NAMINGS["voxtral"] = _language_model(
    NAMINGS["llama"],
    _part("audio", "audio_tower.", _WHISPER_ENCODER),
    _part(
        "projector",
        "multi_modal_projector.",
        {**_linear("proj_1", "linear_1", bias=False), **_linear("proj_2", "linear_2", bias=False)},
    ),
)

_OMNI_DIT = "token2wav.code2wav_dit_model."
NAMINGS["qwen2_5_omni"] = Naming(  # the thinker, talker and token2wav under their own names, kept on load
    "",
    {
        **{term: f"thinker.{name}" for term, name in NAMINGS["qwen2"].tensors.items()},
        **_part(
            "audio",
            "thinker.audio_tower.",
            {
                **{term: name for term, name in _WHISPER_ENCODER.items() if not term.startswith("norm_final")},
                **{f"norm_final.{p}": f"ln_post.{p}" for p in ("weight", "bias")},
                **_linear("proj", "proj"),
                "bos_eos": "audio_bos_eos_token.weight@in_out",
            },
        ),
        **_part(
            "vision",
            "thinker.visual.",
            {
                "W_patch": "patch_embed.proj.weight@conv",
                **_prefixed(
                    "blocks.{i}.",
                    {
                        **_qkvo("attn.q", "attn.k", "attn.v", "attn.proj"),
                        **_gated("mlp.up_proj", "mlp.gate_proj", "mlp.down_proj"),
                        **_norms("norm1", "norm2"),
                    },
                ),
            },
        ),
        **_part(
            "projector",
            "thinker.visual.merger.",
            {"ln_q.weight": "ln_q.weight", **_linear("merge_1", "mlp.0"), **_linear("merge_2", "mlp.2")},
        ),
        **_part(
            "talker",
            "talker.",
            {
                "W_E": "model.embed_tokens.weight",
                **_linear("in", "thinker_to_talker_proj"),
                "norm_final.weight": "model.norm.weight",
                "W_U": "codec_head.weight",
                **_prefixed("model.layers.{i}.", _LLAMA_LAYER),
            },
        ),
        **_part(
            "token2wav",
            _OMNI_DIT,
            {
                **_linear("time_1", "time_embed.time_mlp.0"),
                **_linear("time_2", "time_embed.time_mlp.2"),
                "W_codec": "text_embed.codec_embed.weight@in_out",
                **_linear("input", "input_embed.proj"),
                **_prefixed(
                    "transformer_blocks.{i}.",
                    {
                        **_linear("modulation", "attn_norm.linear"),
                        **_qkvo("attn.to_q", "attn.to_k", "attn.to_v", "attn.to_out.0"),
                        **_linear("1", "ff.ff.0"),
                        **_linear("2", "ff.ff.3"),
                    },
                ),
                **_linear("modulation_final", "norm_out.linear"),
                **_linear("mel", "proj_out"),
            },
        ),
    },
    copies=("thinker.lm_head.weight",),
)


def _conv(term: str, name: str) -> dict[str, str]:
    """A convolution's weight, kept (out, in, kernel) as written, and its bias."""
    return {f"W_{term}": f"{name}.weight@in_out", f"b_{term}": f"{name}.bias"}


def qwen2_5_omni_overrides(data: Mapping[str, Any], arch: Architecture) -> dict[str, str]:
    """Qwen2.5-Omni's speaker encoder and BigVGAN: their blocks and stages are as many as the
    token2wav config's lists are long (qwen2_5_omni's defaults when it leaves them off)."""
    if not data.get("enable_audio_output", True):
        return {}
    t2w = _mapping(data.get("token2wav_config"))
    dit, vocoder = _mapping(t2w.get("dit_config")), _mapping(t2w.get("bigvgan_config"))
    n_block = len(dit.get("enc_channels") or omni.DIT_LISTS["enc_channels"]) - 2
    scale = _config_int(dit, "enc_res2net_scale", omni.DIT_DEFAULTS["enc_res2net_scale"])
    spk = _OMNI_DIT + "input_embed.spk_encoder."
    table = {**_conv("tdnn0", spk + "blocks.0.conv"), **_conv("mfa", spk + "mfa.conv")}
    table |= {**_conv("asp_tdnn", spk + "asp.tdnn.conv"), **_conv("asp", spk + "asp.conv"), **_conv("fc", spk + "fc")}
    for i in range(1, n_block + 1):
        spk_block = f"{spk}blocks.{i}."
        table |= {**_conv(f"tdnn1_{i}", spk_block + "tdnn1.conv"), **_conv(f"tdnn2_{i}", spk_block + "tdnn2.conv")}
        table |= {**_conv(f"se1_{i}", spk_block + "se_block.conv1"), **_conv(f"se2_{i}", spk_block + "se_block.conv2")}
        table |= {
            k: v
            for j in range(scale - 1)
            for k, v in _conv(f"res2net_{i}_{j}", f"{spk_block}res2net_block.blocks.{j}.conv").items()
        }
    gan = "token2wav.code2wav_bigvgan_model."
    n_stage = len(vocoder.get("upsample_rates") or omni.BIGVGAN_LISTS["upsample_rates"])
    n_res = len(vocoder.get("resblock_kernel_sizes") or omni.BIGVGAN_LISTS["resblock_kernel_sizes"])
    table |= {**_conv("pre", gan + "conv_pre"), "W_post": gan + "conv_post.weight@in_out"}
    table |= {f"snake_post_{ab}": f"{gan}activation_post.act.{ab}" for ab in ("alpha", "beta")}
    for stage in range(n_stage):
        table |= _conv(f"up{stage}", f"{gan}ups.{stage}.0")
        for block in range(n_res):
            res = f"{gan}resblocks.{stage * n_res + block}."
            for c in range(6):
                table |= _conv(f"amp{stage}_{block}_{c}", f"{res}convs{1 + c // 3}.{c % 3}")
                table |= {
                    f"snake{stage}_{block}_{c}_{ab}": f"{res}activations.{c}.act.{ab}" for ab in ("alpha", "beta")
                }
    return {f"token2wav:{term}": name for term, name in table.items()}


def qwen2_5_omni_buffers(data: Mapping[str, Any], arch: Architecture) -> dict[str, Tensor]:
    """The DiT's rotary inv_freq is a persistent buffer (head_dim / 2 frequencies)."""
    if not data.get("enable_audio_output", True):
        return {}
    dit = _mapping(_mapping(data.get("token2wav_config")).get("dit_config"))
    n = _config_int(dit, "head_dim", omni.DIT_DEFAULTS["head_dim"]) // 2
    return {_OMNI_DIT + "rotary_embed.inv_freq": Tensor((n,), (), n)}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


OVERRIDES["qwen2_5_omni"] = qwen2_5_omni_overrides
BUFFERS["qwen2_5_omni"] = qwen2_5_omni_buffers


_MLLAMA_VISION_LAYER = {  # the local and the global encoder's blocks: bias-free attention, biased MLP
    **_qkvo("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"),
    **_linear("1", "mlp.fc1"),
    **_linear("2", "mlp.fc2"),
    **_norms("input_layernorm", "post_attention_layernorm"),
}
_MLLAMA_CROSS = {  # a cross-attention layer's own names (its MLP and norms are a llama layer's)
    "W_Q": "cross_attn.q_proj.weight",
    "W_K": "cross_attn.k_proj.weight",
    "W_V": "cross_attn.v_proj.weight",
    "W_O": "cross_attn.o_proj.weight",
    "norm_Q.weight": "cross_attn.q_norm.weight",
    "norm_K.weight": "cross_attn.k_norm.weight",
    "gate_attn": "cross_attn_attn_gate",
    "gate_mlp": "cross_attn_mlp_gate",
}
NAMINGS["mllama"] = _vlm(
    NAMINGS["llama"],
    {
        f"cross-attention + MLP layer/{term}": f"model.language_model.layers.{{i}}.{name}"
        for term, name in _MLLAMA_CROSS.items()
    },
    _part(
        "vision",
        "model.vision_model.",
        {
            "W_patch": "patch_embedding.weight@conv",
            "cls": "class_embedding",
            "W_P": "gated_positional_embedding.embedding",
            **_norm_pre(_norms("layernorm_pre")),
            **_prefixed("transformer.layers.{i}.", _MLLAMA_VISION_LAYER),
            "norm_final.weight": "layernorm_post.weight",
            "norm_final.bias": "layernorm_post.bias",
            **{
                f"global layer/{term}": f"global_transformer.layers.{{i}}.{name}"
                for term, name in {**_MLLAMA_VISION_LAYER, "gate_attn": "gate_attn", "gate_ffn": "gate_ffn"}.items()
            },
            # the tile tables (aspect ratios, tiles x width) are nn.Embedding weights, kept as written
            "W_tile_pre": "pre_tile_positional_embedding.embedding.weight@in_out",
            "gate_tile_pre": "pre_tile_positional_embedding.gate",
            "W_P_tile": "gated_positional_embedding.tile_embedding.weight@in_out",
            "gate_P": "gated_positional_embedding.gate",
            "W_tile_post": "post_tile_positional_embedding.embedding.weight@in_out",
            "gate_tile_post": "post_tile_positional_embedding.gate",
        },
    ),
    _part("projector", "model.", _linear("proj", "multi_modal_projector")),
    renames=(
        ("^language_model.model", "model.language_model"),
        ("^vision_model", "model.vision_model"),
        ("^multi_modal_projector", "model.multi_modal_projector"),
        ("^language_model.lm_head", "lm_head"),
    ),
)
