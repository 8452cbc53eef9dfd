"""Counting: Architecture -> Breakdown, exactly, as pure functions.

Each weight is one `Term` with its shape in the x·W convention, (in, out), so the
breakdown reads like the article: W_E (n_vocab, d_model), W_Q (d_model, n_head*d_head),
W_O (n_head*d_head, d_model), W_1 (d_model, d_ff) ... A `Section` is a block repeated
`copies` times (once, or once per layer). The total is the sum of every term's size
times its section's copies; the active count takes only the routed experts a token uses.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from math import prod
from typing import NamedTuple

from .architecture import (
    Architecture,
    Attention,
    CompressedAttention,
    GatedDeltaNet,
    Indexer,
    Layers,
    Mamba,
    Mixer,
    ShortConv,
)


class Term(NamedTuple):
    """One weight or bias: its name, shape (in, out) and the group it belongs to."""

    name: str
    shape: tuple[int, ...]
    group: str  # embedding | attention | feed-forward | experts | norm | head | ssm | linear-attention | conv
    active_share: tuple[int, int] = (1, 1)  # the fraction of it a token uses (routed experts)

    @property
    def params(self) -> int:
        return prod(self.shape)

    @property
    def active(self) -> int:
        used, of = self.active_share
        return self.params * used // of


class Section(NamedTuple):
    """A block of terms repeated `copies` times: the embeddings once, a layer n_layer times."""

    name: str
    copies: int
    terms: tuple[Term, ...]
    part: str = "text"  # the part of a composite model it belongs to (parts.py): text, vision ...
    attention: Attention | None = None  # a layer's attention with widths of its own (Gemma 4's global layers)

    @property
    def params(self) -> int:
        """Parameters in one copy."""
        return sum(term.params for term in self.terms)

    @property
    def total(self) -> int:
        return self.params * self.copies

    @property
    def active(self) -> int:
        return sum(term.active for term in self.terms) * self.copies


class Breakdown(NamedTuple):
    """The count of every component; `total` and `active` (per token) are exact ints."""

    sections: tuple[Section, ...]

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)

    @property
    def active(self) -> int:
        return sum(section.active for section in self.sections)

    @property
    def parts(self) -> list[tuple[str, int]]:
        """(part, parameters) in order: the text model, then towers and projectors."""
        totals: dict[str, int] = {}
        for section in self.sections:
            totals[section.part] = totals.get(section.part, 0) + section.total
        return list(totals.items())

    def terms(self, name: str) -> list[Term]:
        """Every term called `name`, in order (a term may repeat across sections)."""
        return [term for section in self.sections for term in section.terms if term.name == name]

    def with_shape(self, a: Architecture, shapes: Callable[[Architecture], Mapping[str, tuple[int, ...]]]) -> Breakdown:
        """The same breakdown with weights of the text model reshaped: a what-if for diagnosis.
        `shapes` gives the new shapes from the model `a` as each section's attention sees it
        (Gemma 4's global layers have heads of their own width); a composite's towers keep theirs."""
        sections = []
        for section in self.sections:
            if section.part == "text":
                new = shapes(attention_view(a, section.attention) if section.attention else a)
                terms = tuple(t._replace(shape=new[t.name]) if t.name in new else t for t in section.terms)
                section = section._replace(terms=terms)
            sections.append(section)
        return Breakdown(tuple(sections))


def count(arch: Architecture) -> Breakdown:
    """The exact parameter count of `arch`, component by component."""
    a = arch
    sections = [Section("embeddings", 1, tuple(embedding_terms(a)))]
    if a.n_encoder_layer:
        sections.append(Section("encoder layer", a.n_encoder_layer, tuple(layer_terms(a, decoder=False))))
    if a.layers:
        sections += [
            Section(layers_name(group), group.n, tuple(stack_layer_terms(a, group)), attention=own_attention(group))
            for group in a.layers
        ]
    elif a.is_moe:
        if a.n_dense_layer:
            sections.append(Section("dense layer", a.n_dense_layer, tuple(layer_terms(a))))
        sections.append(Section("MoE layer", a.n_moe_layer, tuple(layer_terms(a, moe=True))))
    else:
        sections.append(Section("layer", a.n_layer, tuple(layer_terms(a))))
    sections.append(Section("final", 1, tuple(final_terms(a))))
    return Breakdown(tuple(sections))


def norm_terms(a: Architecture, name: str, width: int, group: str = "norm", bias: bool | None = None) -> list[Term]:
    """A normalisation over `width` features: layernorm has a gain and a bias, rmsnorm a gain."""
    if a.norm == "none":
        return []
    terms = [Term(f"{name}.weight", (width,), group)]
    if a.norm == "layernorm" and (a.norm_bias if bias is None else bias):
        terms.append(Term(f"{name}.bias", (width,), group))
    return terms


def embedding_terms(a: Architecture) -> list[Term]:
    terms = [Term("W_E", (a.n_vocab + a.extra_token_rows, a.d_token), "embedding")] if a.token_embedding else []
    if a.d_embed is not None:
        terms.append(Term("W_in", (a.d_embed, a.d_model), "embedding"))
        if a.factorized_embeddings:
            terms.append(Term("b_in", (a.d_model,), "embedding"))
    d_embedded = a.d_token if a.factorized_embeddings else a.d_model
    own = ("_encoder", "_decoder") if a.stack_embeddings and a.n_encoder_layer else ("",)
    if a.position_embedding == "learned":
        terms += [Term(f"W_P{stack}", (a.n_context + a.position_offset, d_embedded), "embedding") for stack in own]
    if a.embedding_norm:
        for stack in own:
            terms += norm_terms(a, f"norm_E{stack}", d_embedded)
    stacks = ("encoder", "decoder") if a.n_encoder_layer else ("decoder",)
    if a.relative_attention_buckets:
        terms += [Term(f"R_{stack}", (a.relative_attention_buckets, a.n_head), "embedding") for stack in stacks]
    return terms


def attention_terms(a: Architecture, prefix: str = "") -> list[Term]:
    """W_Q, W_K, W_V, W_O (and biases, q/k norms) of one attention block."""
    q_width = a.n_head * a.d_head
    kv_width = a.n_kv_head * a.d_head
    v_width = a.n_kv_head * a.d_v
    o_width = a.n_head * a.d_v
    if a.kv_lora_rank is not None:
        terms = latent_query_key_value_terms(a, prefix)
    else:
        terms = [
            Term(f"{prefix}W_Q", (a.d_model, q_width), "attention"),
            Term(f"{prefix}W_K", (a.d_model, kv_width), "attention"),
            Term(f"{prefix}W_V", (a.d_model, v_width), "attention"),
        ]
        if a.qkv_bias:
            terms.append(Term(f"{prefix}b_Q", (q_width,), "attention"))
            if a.key_bias:
                terms.append(Term(f"{prefix}b_K", (kv_width,), "attention"))
            terms.append(Term(f"{prefix}b_V", (v_width,), "attention"))
    if a.attention_output_gate:
        terms.append(Term(f"{prefix}W_gate", (a.d_model, q_width), "attention"))
        if a.qkv_bias:
            terms.append(Term(f"{prefix}b_gate", (q_width,), "attention"))
    terms.append(Term(f"{prefix}W_O", (o_width, a.d_model), "attention"))
    if a.out_bias:
        terms.append(Term(f"{prefix}b_O", (a.d_model,), "attention"))
    if a.attention_sinks:
        terms.append(Term(f"{prefix}sinks", (a.n_head,), "attention"))
    if a.index_n_head:
        terms += indexer_terms(a, Indexer(a.index_n_head, a.d_index_head), prefix)
    if a.qk_norm == "head":
        terms += norm_terms(a, f"{prefix}norm_Q", a.d_head, "attention", a.qk_norm_bias)
        terms += norm_terms(a, f"{prefix}norm_K", a.d_head, "attention", a.qk_norm_bias)
    elif a.qk_norm == "per_head":
        terms += norm_terms(a, f"{prefix}norm_Q", q_width, "attention", a.qk_norm_bias)
        terms += norm_terms(a, f"{prefix}norm_K", kv_width, "attention", a.qk_norm_bias)
    return terms


def latent_query_key_value_terms(a: Architecture, prefix: str) -> list[Term]:
    """Multi-head latent attention: queries and keys/values pass through low-rank latents.

    Keys and values share one down-projection to kv_lora_rank (plus the d_head_rope wide
    rotary key shared by all heads); an up-projection gives each head its key (without
    the rotary part) and its value. Biases, when present, sit on the down-projections.
    """
    q_width = a.n_head * a.d_head
    assert a.kv_lora_rank is not None
    terms: list[Term] = []
    if a.q_lora_rank:
        terms.append(Term(f"{prefix}W_DQ", (a.d_model, a.q_lora_rank), "attention"))
        if a.qkv_bias:
            terms.append(Term(f"{prefix}b_DQ", (a.q_lora_rank,), "attention"))
        terms += latent_norm_terms(a, f"{prefix}norm_DQ", a.q_lora_rank)
        terms.append(Term(f"{prefix}W_UQ", (a.q_lora_rank, q_width), "attention"))
    else:
        terms.append(Term(f"{prefix}W_Q", (a.d_model, q_width), "attention"))
    terms.append(Term(f"{prefix}W_DKV", (a.d_model, a.kv_lora_rank + a.d_head_rope), "attention"))
    if a.qkv_bias:
        terms.append(Term(f"{prefix}b_DKV", (a.kv_lora_rank + a.d_head_rope,), "attention"))
    terms += latent_norm_terms(a, f"{prefix}norm_DKV", a.kv_lora_rank)
    per_head = a.d_head - a.d_head_rope + a.d_v
    terms.append(Term(f"{prefix}W_UKV", (a.kv_lora_rank, a.n_head * per_head), "attention"))
    return terms


def latent_norm_terms(a: Architecture, name: str, width: int) -> list[Term]:
    return norm_terms(a, name, width, "attention")


def mlp_terms(
    a: Architecture,
    d_ff: int,
    prefix: str = "",
    group: str = "feed-forward",
    n_expert: int = 0,
    bias: bool | None = None,
    d_in: int | None = None,
) -> list[Term]:
    """W_1 (d_model, d_ff), W_2 (d_ff, d_model), and the gate W_3 of a gated MLP.

    With `n_expert`, each weight is stacked over the routed experts, of which a token
    uses n_expert_per_token. Biases as `bias` says, else as mlp_bias. `d_in`: the width
    the MLP reads and writes when not d_model (latent experts).
    """
    d_io = a.d_model if d_in is None else d_in
    stack = (n_expert,) if n_expert else ()
    share = (a.n_expert_per_token, n_expert) if n_expert else (1, 1)
    matrices = [("1", (d_io, d_ff))]
    if a.mlp == "gated":
        matrices.append(("3", (d_io, d_ff)))
    matrices.append(("2", (d_ff, d_io)))
    terms = []
    for index, shape in matrices:
        terms.append(Term(f"{prefix}W_{index}", stack + shape, group, share))
        if a.mlp_bias if bias is None else bias:
            terms.append(Term(f"{prefix}b_{index}", stack + shape[1:], group, share))
    return terms


def moe_terms(a: Architecture) -> list[Term]:
    """The router, the routed experts and the always-active shared expert of a MoE layer."""
    terms = [Term("W_router", (a.d_model, a.n_expert), "experts")]
    if a.router_scales:
        terms += [Term("router_scale", (a.d_model,), "experts"), Term("expert_scale", (a.n_expert,), "experts")]
    if a.router_bias:
        terms.append(Term("b_router", (a.n_expert,), "experts"))
    if a.router_correction_bias:
        terms.append(Term("b_router_correction", (1, a.n_expert), "experts"))
    latent = a.d_expert_latent
    if latent is not None:
        terms += linear_terms("latent_in", a.d_model, latent, a.mlp_bias, "experts")
    bias = None if a.expert_bias == "mlp" else False
    terms += mlp_terms(a, a.d_ff_expert, "experts.", "experts", a.n_expert, bias=bias, d_in=latent)
    if latent is not None:
        terms += linear_terms("latent_out", latent, a.d_model, a.mlp_bias, "experts")
    if a.expert_bias == "output":
        terms.append(Term("b_experts", (a.d_model,), "experts"))
    if a.d_ff_shared:
        terms += mlp_terms(a, a.d_ff_shared, "shared.", "experts")
        if a.shared_expert_gate:
            terms.append(Term("W_shared_gate", (a.d_model, 1), "experts"))
    return terms


def layer_terms(a: Architecture, decoder: bool = True, moe: bool = False) -> list[Term]:
    """One transformer block: attention, (cross-attention), feed-forward or experts, norms."""
    terms = attention_terms(a)
    cross = decoder and a.n_encoder_layer > 0
    if cross:
        terms += attention_terms(a, "cross.")
    terms += moe_terms(a) if moe else mlp_terms(a, a.d_ff)
    n_norm = a.norms_per_layer + (1 if cross else 0)
    for index in range(1, n_norm + 1):
        terms += norm_terms(a, f"norm_{index}", a.d_model)
    return terms


def final_terms(a: Architecture) -> list[Term]:
    """The final norm(s), the projection back to d_embed, and an untied unembedding."""
    terms: list[Term] = []
    if a.final_norm:
        stacks = ("encoder", "decoder") if a.n_encoder_layer else ("",)
        for stack in stacks:
            terms += norm_terms(a, f"norm_{stack}final" if stack else "norm_final", a.d_model)
    if a.d_embed is not None and not a.factorized_embeddings:
        terms.append(Term("W_out", (a.d_model, a.d_embed), "head"))
    if not a.tie_embeddings and a.token_embedding and a.unembedding:
        terms.append(Term("W_U", (a.d_token, a.n_vocab), "head"))
    if a.lm_head_bias:
        terms.append(Term("b_U", (a.n_vocab,), "head"))
    if a.hc_mult:  # the head that collapses the residual streams: a weight, a bias, a scale
        n, width = a.hc_mult, a.hc_mult * a.d_model
        terms += [Term("W_hc_head", (n, width), "residual"), Term("b_hc_head", (n,), "residual")]
        terms.append(Term("hc_head_scale", (1,), "residual"))
    return terms


# --- stacks whose layers differ: state-space, linear-attention and convolution mixers ---


def layers_name(group: Layers) -> str:
    """`mamba layer`, `attention + MoE layer`, `attention & mamba + MLP layer` ..."""
    mixers = " & ".join(mixer_name(mixer) for mixer in group.mixers)
    ffn = FFN_NAMES[group.ffn]
    if not mixers:  # a layer that is only a feed-forward (Nemotron-H's MLP and MoE layers)
        return f"{ffn or 'empty'} layer"
    return f"{mixers}{' + ' + ffn if ffn else ''} layer"


FFN_NAMES = {"dense": "MLP", "moe": "MoE", "dense+moe": "MLP & MoE", "none": ""}  # one table for both forms


def mixer_name(mixer: Mixer) -> str:
    if isinstance(mixer, Mamba):
        return "mamba" if mixer.version == 1 else "mamba2"
    if isinstance(mixer, GatedDeltaNet):
        return "gated deltanet"
    if isinstance(mixer, ShortConv):
        return "conv"
    if isinstance(mixer, Attention):
        return mixer.name
    if isinstance(mixer, Indexer):
        return "indexer"
    if isinstance(mixer, CompressedAttention):
        kind = "sparse-compressed " if mixer.sparse else "compressed " if mixer.compress_rate else "sliding "
        return kind + "attention"
    return mixer


def stack_layer_terms(a: Architecture, group: Layers) -> list[Term]:
    """One layer of a group: its mixers, its feed-forward or experts, its norms."""
    terms: list[Term] = []
    for mixer in group.mixers:
        if isinstance(mixer, Mamba):
            terms += mamba_terms(a, mixer)
        elif isinstance(mixer, GatedDeltaNet):
            terms += gated_deltanet_terms(a, mixer)
        elif isinstance(mixer, ShortConv):
            terms += short_conv_terms(a, mixer)
        elif isinstance(mixer, Attention):
            terms += own_attention_terms(a, mixer)
        elif isinstance(mixer, Indexer):
            terms += indexer_terms(a, mixer)
        elif isinstance(mixer, CompressedAttention):
            terms += compressed_attention_terms(a, mixer)
        elif mixer == "cross-attention":
            terms += cross_attention_terms(a)
        else:
            terms += attention_terms(a)
    if group.ffn in ("dense", "dense+moe"):
        terms += mlp_terms(a, a.d_ff * group.ffn_width)
    if group.ffn in ("moe", "dense+moe"):
        terms += moe_terms(a)
    for index in range(1, group.norms + 1):
        terms += norm_terms(a, f"norm_{index}", a.d_model)
    if a.hc_mult:
        terms += hyper_connection_terms(a, "attn") + hyper_connection_terms(a, "ffn")
    return terms


def own_attention_terms(a: Architecture, m: Attention) -> list[Term]:
    """The record's attention with the mixer's head width and key/value heads; without W_V
    (and b_V) when the keys double as values, without W_K, W_V and the key norm when the
    layer reuses another layer's keys and values."""
    terms = attention_terms(attention_view(a, m))
    dropped = set() if m.values else {"W_V", "b_V"}
    if not m.keys:
        dropped |= {"W_K", "b_K", "W_V", "b_V", "norm_K.weight", "norm_K.bias"}
    return [term for term in terms if term.name not in dropped]


def attention_view(a: Architecture, m: Attention) -> Architecture:
    """The record as an attention with widths of its own sees it: its head width and key/value heads."""
    return replace(a, d_head=m.d_head, n_kv_head=m.n_kv_head, d_head_v=None)


def own_attention(group: Layers) -> Attention | None:
    """The attention with widths of its own in a group of layers, if it has one."""
    return next((mixer for mixer in group.mixers if isinstance(mixer, Attention)), None)


def cross_attention_terms(a: Architecture) -> list[Term]:
    """A cross-attention layer's mixer: the attention's own projections (keys and values read
    another part's states, already d_model wide), RMSNorms over d_head on queries and keys, and
    the layer's two tanh gates (on the attention's and the MLP's outputs)."""
    terms = attention_terms(a)
    terms += [Term("norm_Q.weight", (a.d_head,), "attention"), Term("norm_K.weight", (a.d_head,), "attention")]
    return terms + [Term("gate_attn", (1,), "attention"), Term("gate_mlp", (1,), "feed-forward")]


def linear_terms(name: str, d_in: int, d_out: int, bias: bool, group: str) -> list[Term]:
    """W_name (d_in, d_out), and its bias b_name when there is one."""
    terms = [Term(f"W_{name}", (d_in, d_out), group)]
    if bias:
        terms.append(Term(f"b_{name}", (d_out,), group))
    return terms


def mamba_terms(a: Architecture, m: Mamba) -> list[Term]:
    """A Mamba-1 or Mamba-2 mixer; the conv kernel is (channels, d_conv), one per channel."""
    g = "ssm"
    if m.version == 1:
        channels = m.d_inner
        terms = linear_terms("in", a.d_model, 2 * m.d_inner, m.proj_bias, g)
    else:
        channels = m.d_inner + 2 * m.n_group * m.d_state
        terms = linear_terms("in", a.d_model, m.d_inner + channels + m.n_head, m.proj_bias, g)
    terms.append(Term("conv", (channels, m.d_conv), g))
    if m.conv_bias:
        terms.append(Term("b_conv", (channels,), g))
    if m.version == 1:
        terms += linear_terms("x", m.d_inner, m.dt_rank + 2 * m.d_state, False, g)
        terms += linear_terms("dt", m.dt_rank, m.d_inner, True, g)
        terms += [Term("A_log", (m.d_inner, m.d_state), g), Term("D", (m.d_inner,), g)]
        if m.inner_norms:
            for name, width in (("dt", m.dt_rank), ("B", m.d_state), ("C", m.d_state)):
                terms += norm_terms(a, f"norm_{name}", width, g)
    else:
        terms += [Term("b_dt", (m.n_head,), g), Term("A_log", (m.n_head,), g), Term("D", (m.n_head,), g)]
        if m.gated_norm:
            terms.append(Term("norm_gate.weight", (m.d_inner,), g))
    out_bias = m.proj_bias if m.out_bias is None else m.out_bias
    return terms + linear_terms("out", m.d_inner, a.d_model, out_bias, g)


def gated_deltanet_terms(a: Architecture, m: GatedDeltaNet) -> list[Term]:
    """q, k (key heads), v and the output gate z (value heads) in one projection; b (beta)
    and a (decay) per value head in another; a bias-free conv over q, k, v."""
    g = "linear-attention"
    key, value = m.n_k_head * m.d_k_head, m.n_v_head * m.d_v_head
    if m.split:  # the same weights as four projections (Qwen3.5)
        projections = [
            Term("W_qkv", (a.d_model, 2 * key + value), g),
            Term("W_z", (a.d_model, value), g),
            Term("W_b", (a.d_model, m.n_v_head), g),
            Term("W_a", (a.d_model, m.n_v_head), g),
        ]
    else:
        projections = [
            Term("W_qkvz", (a.d_model, 2 * key + 2 * value), g),
            Term("W_ba", (a.d_model, 2 * m.n_v_head), g),
        ]
    return projections + [
        Term("conv", (2 * key + value, m.d_conv), g),
        Term("b_dt", (m.n_v_head,), g),
        Term("A_log", (m.n_v_head,), g),
        Term("norm_gate.weight", (m.d_v_head,), g),
        Term("W_out", (value, a.d_model), g),
    ]


def short_conv_terms(a: Architecture, m: ShortConv) -> list[Term]:
    """B, C and x from one projection, a depthwise conv over B*x, C gates it, out_proj."""
    g = "conv"
    terms = linear_terms("in", a.d_model, 3 * a.d_model, m.bias, g)
    terms.append(Term("conv", (a.d_model, m.d_conv), g))
    if m.bias:
        terms.append(Term("b_conv", (a.d_model,), g))
    return terms + linear_terms("out", a.d_model, a.d_model, m.bias, g)


def indexer_terms(a: Architecture, m: Indexer, prefix: str = "") -> list[Term]:
    """The lightning indexer (DeepSeek-V3.2 in every layer, GLM-5 beside some layers' attention),
    which picks the keys each query attends to: queries from the query latent, one key head
    through a LayerNorm with a bias (whatever the model's norm), W_Iw weighing the heads."""
    assert a.q_lora_rank is not None
    g = "attention"
    return [
        Term(f"{prefix}W_IQ", (a.q_lora_rank, m.n_head * m.d_head), g),
        Term(f"{prefix}W_IK", (a.d_model, m.d_head), g),
        Term(f"{prefix}norm_IK.weight", (m.d_head,), g),
        Term(f"{prefix}norm_IK.bias", (m.d_head,), g),
        Term(f"{prefix}W_Iw", (a.d_model, m.n_head), g),
    ]


def hyper_connection_terms(a: Architecture, site: str) -> list[Term]:
    """The weights mixing hc_mult residual streams around one sub-layer (`site`): pre, post and
    the (hc_mult x hc_mult) combination come from one (hc_mult * d_model)-wide projection."""
    n = a.hc_mult
    rows = (2 + n) * n
    return [
        Term(f"W_hc_{site}", (rows, n * a.d_model), "residual"),
        Term(f"b_hc_{site}", (rows,), "residual"),
        Term(f"hc_{site}_scale", (3,), "residual"),
    ]


def compressed_attention_terms(a: Architecture, m: CompressedAttention) -> list[Term]:
    """DeepSeek-V4's attention (see CompressedAttention), its compressor and indexer."""
    g = "attention"
    width = m.n_head * m.d_head
    terms = [
        Term("W_DQ", (a.d_model, m.q_lora_rank), g),
        Term("norm_DQ.weight", (m.q_lora_rank,), g),
        Term("W_UQ", (m.q_lora_rank, width), g),
        Term("W_KV", (a.d_model, m.d_head), g),
        Term("norm_KV.weight", (m.d_head,), g),
        Term("W_OA", (width // m.o_groups, m.o_groups * m.o_lora_rank), g),
        Term("W_OB", (m.o_groups * m.o_lora_rank, a.d_model), g),
        Term("sinks", (m.n_head,), g),
    ]
    if m.compress_rate:
        c = 2 * m.d_head if m.sparse else m.d_head  # CSA keeps two overlapping series
        terms += [
            Term("W_ckv", (a.d_model, c), g),
            Term("W_cgate", (a.d_model, c), g),
            Term("c_position", (m.compress_rate, c), g),
            Term("norm_ckv.weight", (m.d_head,), g),
        ]
    if m.sparse:
        i = 2 * m.d_index_head
        terms += [
            Term("W_ikv", (a.d_model, i), g),
            Term("W_igate", (a.d_model, i), g),
            Term("i_position", (m.compress_rate, i), g),
            Term("norm_ikv.weight", (m.d_index_head,), g),
            Term("W_IQ", (m.q_lora_rank, m.index_n_head * m.d_index_head), g),
            Term("W_Iw", (a.d_model, m.index_n_head), g),
        ]
    return terms
