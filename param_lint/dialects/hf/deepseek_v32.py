"""deepseek_v32: DeepseekV32ForCausalLM (DeepSeek-V3.2, -V3.2-Exp), in transformers 5 only.
DeepSeek-V3's latent attention and experts (see deepseek_v3) plus, in every layer, a
lightning indexer: index_n_heads query heads of width index_head_dim read from the query
latent (so q_lora_rank must be set), one key head from hidden_size through a LayerNorm
with a bias, and a projection weighing the heads. Defaults are transformers 5.x's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...architecture import Architecture, Indexer
from .. import Reader
from .deepseek_v2 import deepseek_like
from .deepseek_v3 import DEEPSEEK_V3_DEFAULTS

DEEPSEEK_V32_DEFAULTS = {
    **DEEPSEEK_V3_DEFAULTS,
    "max_position_embeddings": 163840,
    "index_n_heads": 64,
    "index_head_dim": 128,
}


def lightning_indexer(r: Reader, defaults: Mapping[str, Any], fields: tuple[str, str]) -> Indexer:
    """DSA's lightning indexer as DeepSeek-V3.2 and GLM-5 write it (index_n_heads heads of
    index_head_dim); `fields` are the Architecture fields a wrong value is reported against.
    Its queries come from the query latent, so q_lora_rank must be set."""
    if r.data.get("q_lora_rank", defaults["q_lora_rank"]) is None:
        r.fail("q_lora_rank", "q_lora_rank is needed: the lightning indexer reads the query latent")
    return Indexer(
        n_head=r.integer("index_n_heads", defaults["index_n_heads"], field=fields[0], minimum=1),
        d_head=r.integer("index_head_dim", defaults["index_head_dim"], field=fields[1], minimum=1),
    )


def architecture(r: Reader) -> Architecture:
    """The indexer is in every layer, so its widths are Architecture fields (the diagnosis
    solves for them) rather than a mixer in Architecture.layers as GLM-5's."""
    d = DEEPSEEK_V32_DEFAULTS
    indexer = lightning_indexer(r, d, ("index_n_head", "d_index_head"))
    return deepseek_like(
        r,
        d,
        null=False,
        index_n_head=indexer.n_head,
        d_index_head=indexer.d_head,
        mlp_bias=r.boolean("mlp_bias", False, field="mlp_bias"),
    )
