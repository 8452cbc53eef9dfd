"""The architecture model: one frozen dataclass that every config dialect maps onto.

Field names follow the article (n_layer, d_model, d_head, d_ff ...). Every field is a
plain value, so a diagnosis hypothesis is just `dataclasses.replace(arch, field=...)`
and the counter in `counting.py` stays a pure function of this record.
"""

from __future__ import annotations

from dataclasses import dataclass


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
    # the routed experts' biases: mlp = as mlp_bias says | none | output = none per expert, one
    # (d_model,) bias added after the experts' outputs are combined (megablocks' dMoE)
    expert_bias: str = "mlp"

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
    def n_moe_layer(self) -> int:
        return self.n_layer - self.n_dense_layer if self.is_moe else 0
