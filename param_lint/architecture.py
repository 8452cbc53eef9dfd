"""The architecture model: one frozen dataclass that every config dialect maps onto.

Field names follow the article (n_layer, d_model, d_head, d_ff ...). Every field is a
plain value, so a diagnosis hypothesis is just `dataclasses.replace(arch, field=...)`
and the counter in `counting.py` stays a pure function of this record.

A stack whose layers are not all alike (state-space and hybrid models) lists them in
`Architecture.layers`: groups of `Layers`, each a count of layers with the same token
mixers (attention, or a `Mamba`, `GatedDeltaNet`, `ShortConv` record) and feed-forward.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mamba:
    """A selective state-space mixer: Mamba-1 (`n_head` 0) or Mamba-2 (`n_head` heads).

    Mamba-1: in_proj (d_model, 2*d_inner), a depthwise conv, x_proj to dt_rank + 2*d_state,
    dt_proj, A (d_inner, d_state) and D. Mamba-2: one in_proj to the gate, x, B, C (n_group
    groups of d_state) and dt per head; A, D and the dt bias per head; a gated RMSNorm over
    d_inner. `inner_norms`: Jamba's RMSNorms on dt, B and C.
    """

    d_inner: int
    d_state: int
    d_conv: int
    dt_rank: int = 0
    n_head: int = 0
    n_group: int = 1
    conv_bias: bool = True
    proj_bias: bool = False  # biases on in_proj and out_proj
    out_bias: bool | None = None  # out_proj's bias when not proj_bias (Falcon-H1's projectors_bias)
    gated_norm: bool = True  # Mamba-2's gated RMSNorm over d_inner (optional in Falcon-H1)
    inner_norms: bool = False

    @property
    def version(self) -> int:
        return 2 if self.n_head else 1


@dataclass(frozen=True)
class GatedDeltaNet:
    """Gated DeltaNet linear attention (Qwen3-Next): key and value heads of their own widths,
    a depthwise conv over q, k, v, per-head decay (A, dt bias) and a gated RMSNorm per head."""

    n_k_head: int
    n_v_head: int
    d_k_head: int
    d_v_head: int
    d_conv: int
    split: bool = False  # q/k/v, z, b and a as four projections (Qwen3.5), not two (Qwen3-Next)


@dataclass(frozen=True)
class ShortConv:
    """LFM2's gated short convolution: in_proj to 3*d_model, a depthwise conv, out_proj."""

    d_conv: int
    bias: bool = False


@dataclass(frozen=True)
class Attention:
    """The Architecture's attention with widths of its own: `d_head` and `n_kv_head` in place
    of the record's (Gemma 4's global layers: 512-wide heads, fewer key/value heads), and
    `values` false where the keys double as values (no W_V: Gemma 4's attention_k_eq_v);
    `keys` false where the layer reuses an earlier layer's keys and values (no W_K, W_V or
    key norm: Gemma 4's KV-shared layers). `name` labels the layer kind in --breakdown
    ("global attention")."""

    d_head: int
    n_kv_head: int
    values: bool = True
    keys: bool = True
    name: str = "attention"


@dataclass(frozen=True)
class Indexer:
    """DSA's lightning indexer beside some layers' attention (GLM-5), which picks the keys each
    query attends to: n_head query heads d_head wide from the query latent (q_lora_rank), one
    key head from d_model through a LayerNorm with a bias, a (d_model, n_head) head weighting.
    A layer without one reuses the previous indexer's choice."""

    n_head: int
    d_head: int


@dataclass(frozen=True)
class CompressedAttention:
    """DeepSeek-V4's attention: one shared key/value head d_head wide (an RMSNorm on it), queries
    through a q_lora_rank latent (an RMSNorm on it), a grouped low-rank output (o_groups groups
    of the heads, each to o_lora_rank, then one projection to d_model), a sink per head.
    `compress_rate` > 0 adds a compressor of the keys and values (kv and gate projections, a
    position bias per slot, an RMSNorm); `sparse` (CSA) doubles its width and adds a lightning
    indexer (its own compressor index_n_head x d_index_head wide and a head weighting)."""

    n_head: int
    d_head: int
    q_lora_rank: int
    o_groups: int
    o_lora_rank: int
    compress_rate: int = 0
    sparse: bool = False
    index_n_head: int = 0
    d_index_head: int = 0


# "attention": the Architecture's own attention; "cross-attention": the same projections over
# another part's states, with q/k RMSNorms over d_head and tanh gates on the attention and
# MLP outputs (Llama 3.2 Vision's cross-attention layers)
Mixer = str | Mamba | GatedDeltaNet | ShortConv | Indexer | CompressedAttention | Attention


@dataclass(frozen=True)
class Layers:
    """`n` layers alike: their token mixers (run in parallel when several, as in Falcon-H1),
    their feed-forward (`dense`, `moe`, `dense+moe`: the dense MLP and the experts side by
    side, as in Gemma 4, or `none`) and how many d_model norms each has. `ffn_width`: the
    dense MLP's width in units of the record's d_ff (2: Gemma 4's double-wide MLP).
    `indices`: where they sit in the stack (a checkpoint's layer numbers); not part of the count."""

    n: int
    mixers: tuple[Mixer, ...]
    ffn: str = "dense"
    norms: int = 2
    indices: tuple[int, ...] = field(default=(), compare=False)
    ffn_width: int = 1


@dataclass(frozen=True)
class Architecture:
    """Every hyperparameter that decides a transformer's parameter count.

    A decoder-only model by default; `n_encoder_layer > 0` adds an encoder stack and a
    cross-attention block in each decoder layer (T5). Widths are in units of features.
    """

    n_vocab: int
    n_layer: int
    d_model: int
    n_head: int
    d_head: int
    n_kv_head: int
    d_ff: int
    # embeddings
    n_context: int = 0  # rows of the learned position matrix W_P
    position_embedding: str = "learned"  # learned | rotary | alibi | none
    position_offset: int = 0  # extra rows of W_P (OPT keeps 2)
    d_embed: int | None = None  # token embedding width when not d_model (projected in/out)
    embedding_norm: bool = False  # a norm right after the token embedding (BLOOM)
    tie_embeddings: bool = True  # the unembedding is W_E itself
    lm_head_bias: bool = False
    # attention
    qkv_bias: bool = True
    out_bias: bool = True
    qk_norm: str = "none"  # none | head (one d_head norm for all heads) | per_head
    qk_norm_bias: bool = False  # layernorm q/k norms with a bias (Phi)
    d_head_v: int | None = None  # value head width when not d_head (latent attention)
    # multi-head latent attention (DeepSeek-V2/V3); kv_lora_rank None = ordinary attention
    q_lora_rank: int | None = None
    kv_lora_rank: int | None = None
    d_head_rope: int = 0  # the part of d_head that carries rotary positions, shared by heads
    # feed-forward
    mlp: str = "standard"  # standard: W_1, W_2 | gated: W_1, W_3 (gate), W_2
    mlp_bias: bool = True
    # normalisation
    norm: str = "layernorm"  # layernorm | rmsnorm | none
    norm_bias: bool = True  # layernorm only: whether each norm has a bias
    norms_per_layer: int = 2
    final_norm: bool = True
    # mixture of experts; n_expert 0 = dense
    n_expert: int = 0
    n_expert_per_token: int = 0
    d_ff_expert: int = 0
    d_ff_shared: int = 0  # width of the always-active shared expert MLP, 0 = none
    shared_expert_gate: bool = False  # a (d_model, 1) gate on the shared expert (Qwen-MoE)
    router_bias: bool = False
    n_dense_layer: int = 0  # layers of a MoE model that keep the dense MLP of width d_ff
    # encoder-decoder
    n_encoder_layer: int = 0
    relative_attention_buckets: int = 0  # T5's learned relative position bias, first layer
    # added for the 0.2 Hugging Face families; the defaults leave every earlier count unchanged
    attention_sinks: bool = False  # one learned sink logit per query head (gpt-oss)
    router_correction_bias: bool = False  # a (1, n_expert) score-correction parameter (ERNIE 4.5 MoE)
    # DeepSeek-V3.2's lightning indexer in every layer (flat, so the diagnosis solves for it; an
    # indexer on some layers only, GLM-5's, is an Indexer mixer): its heads (0 = none) and width
    index_n_head: int = 0
    d_index_head: int = 0
    # the routed experts' biases: mlp = as mlp_bias says | none | output = none per expert, one
    # (d_model,) bias added after the experts' outputs are combined (megablocks' dMoE)
    expert_bias: str = "mlp"
    # added for state-space and hybrid stacks; () = every layer a transformer block as above
    layers: tuple[Layers, ...] = ()  # the stack by kind of layer; their n add up to n_layer
    attention_output_gate: bool = False  # W_Q also yields a per-feature output gate (Qwen3-Next)
    # added for encoders and encoder-decoders (0.2); the defaults leave every earlier count unchanged
    stack_embeddings: bool = False  # encoder and decoder each have their own W_P and norm_E (BART)
    factorized_embeddings: bool = False  # W_P and norm_E are d_embed wide, a biased W_in projects
    # them to d_model, and nothing projects back (ELECTRA's embedding_size)
    key_bias: bool = True  # with qkv_bias, whether W_K has one too (Whisper's k_proj has none)
    token_embedding: bool = True  # False: the stack reads no token ids (a standalone vision tower,
    # whose patch embedding is a part); there is then no W_E and no unembedding
    unembedding: bool = True  # False: no output head over the vocabulary at all (the text tower
    # of a dual encoder, CLIP's or SigLIP's): no W_U whatever tie_embeddings says
    extra_token_rows: int = 0  # rows of W_E beyond n_vocab that the unembedding lacks (Mllama's 8)
    # added for Nemotron-H (0.2); the default leaves every earlier count unchanged
    d_expert_latent: int | None = None  # routed experts work d_expert_latent wide: W_latent_in
    # (d_model, latent) before them and W_latent_out (latent, d_model) after, both always active
    # added for DeepSeek-V4 (0.2); the default leaves every earlier count unchanged
    hc_mult: int = 0  # hyper-connections: hc_mult residual streams, mixed around each layer's
    # attention and feed-forward and collapsed by a head before the final norm
    router_scales: bool = False  # the router's learned (d_model,) input and (n_expert,) output scales (Gemma 4)

    @property
    def d_v(self) -> int:
        """Width of one value head."""
        return self.d_head if self.d_head_v is None else self.d_head_v

    @property
    def d_token(self) -> int:
        """Width of the token embedding W_E."""
        return self.d_model if self.d_embed is None else self.d_embed

    @property
    def is_moe(self) -> bool:
        return self.n_expert > 0

    @property
    def has_active_count(self) -> bool:
        """A mixture of experts that says how many experts a token uses (n_expert_per_token 0:
        it does not, as a DeepSeek-V2 file saved with the class default null)."""
        return self.is_moe and self.n_expert_per_token > 0

    @property
    def n_moe_layer(self) -> int:
        return self.n_layer - self.n_dense_layer if self.is_moe else 0

    @property
    def has_attention(self) -> bool:
        """Whether some layer has (softmax) attention: every flat model does."""
        return not self.layers or any(
            mixer == "attention" or isinstance(mixer, Attention) for group in self.layers for mixer in group.mixers
        )

    @property
    def has_dense_mlp(self) -> bool:
        """Whether some layer has the dense MLP of width d_ff."""
        if not self.layers:
            return not self.is_moe or self.n_dense_layer > 0
        return any(group.ffn in ("dense", "dense+moe") for group in self.layers)
