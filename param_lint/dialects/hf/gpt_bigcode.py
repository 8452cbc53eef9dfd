"""gpt_bigcode: GPTBigCodeForCausalLM (SantaCoder, StarCoder 1). GPT-2 with multi-query
attention when multi_query (the default): one key/value head, so c_attn is
(n_embd, n_embd + 2 * d_head)."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .gpt2 import GPT2_DEFAULTS, gpt2_like, without_cross_attention


def architecture(r: Reader) -> Architecture:
    without_cross_attention(r)
    if r.boolean("multi_query", True, field="n_kv_head"):
        return gpt2_like(r, GPT2_DEFAULTS, n_kv_head=1)
    return gpt2_like(r, GPT2_DEFAULTS)
