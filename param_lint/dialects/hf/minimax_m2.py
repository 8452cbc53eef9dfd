"""minimax_m2: MiniMaxM2ForCausalLM (MiniMax-M2, M2.1, M2.5), which transformers has from 5.x
only (4.57.6 has no such type; the published files also name remote code in `auto_map`).

Every layer: bias-free attention of num_attention_heads x head_dim (class default 128) with
num_key_value_heads, RMSNorms over all query and all key features together (always: the
use_qk_norm and qk_norm_type keys are not read), then num_local_experts gated experts of
width intermediate_size, num_experts_per_tok per token, behind a bias-free router (its routing
bias, e_score_correction_bias, is a buffer); no shared expert, no dense layer. attn_type_list
is not read by transformers 5.24.0 (every layer is full attention there), and the published
checkpoints' multi-token-prediction modules (use_mtp, num_mtp_modules) are not built: not
counted."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import LLAMA_DEFAULTS, LOCAL_EXPERT_KEYS, llama_like, routed_experts

DEFAULTS = LLAMA_DEFAULTS | {  # MiniMaxM2Config (transformers 5.24.0)
    "vocab_size": 200064,
    "hidden_size": 3072,
    "intermediate_size": 1536,
    "num_hidden_layers": 62,
    "num_attention_heads": 48,
    "num_key_value_heads": 8,
    "head_dim": 128,
    "max_position_embeddings": 196608,
    "tie_word_embeddings": False,
    "num_local_experts": 256,
    "num_experts_per_tok": 8,
}
EXPERT_KEYS = {**LOCAL_EXPERT_KEYS, "n_expert": ("num_local_experts", "num_experts")}


def architecture(r: Reader) -> Architecture:
    return llama_like(r, DEFAULTS, qk_norm="per_head", **routed_experts(r, EXPERT_KEYS, DEFAULTS, null=False))
