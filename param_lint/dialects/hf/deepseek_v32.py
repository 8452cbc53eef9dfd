"""deepseek_v32: DeepseekV32ForCausalLM (DeepSeek-V3.2, -V3.2-Exp), in transformers 5 only.
DeepSeek-V3's latent attention and experts (see deepseek_v3) plus, in every layer, a
lightning indexer: index_n_heads query heads of width index_head_dim read from the query
latent (so q_lora_rank must be set), one key head from hidden_size through a LayerNorm
with a bias, and a projection weighing the heads. Defaults are transformers 5.x's."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .deepseek_v2 import deepseek_like
from .deepseek_v3 import DEEPSEEK_V3_DEFAULTS

DEEPSEEK_V32_DEFAULTS = {
    **DEEPSEEK_V3_DEFAULTS,
    "max_position_embeddings": 163840,
    "index_n_heads": 64,
    "index_head_dim": 128,
}


def architecture(r: Reader) -> Architecture:
    d = DEEPSEEK_V32_DEFAULTS
    if r.data.get("q_lora_rank", d["q_lora_rank"]) is None:
        r.fail("q_lora_rank", "q_lora_rank is needed: the lightning indexer reads the query latent")
    return deepseek_like(
        r,
        d,
        index_n_head=r.integer("index_n_heads", d["index_n_heads"], field="index_n_head", minimum=1),
        d_index_head=r.integer("index_head_dim", d["index_head_dim"], field="d_index_head", minimum=1),
        mlp_bias=r.boolean("mlp_bias", False, field="mlp_bias"),
    )
