"""MiniMax-M2 (minimax_m2): what the published config's golden count does not pin.

The total, active count and tensor list of the published file are checked against
transformers 5.24.0 by tests/test_hf_golden.py and tests/checkpoint/test_names.py.
"""

from __future__ import annotations

from param_lint.counting import count
from param_lint.dialects import Reader
from param_lint.dialects.hf import read as read_hf

TINY = {"hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 24, "num_hidden_layers": 3}


def architecture_of(**keys):
    return read_hf(Reader({"model_type": "minimax_m2", **TINY, **keys})).architecture


def test_query_and_key_norms_span_every_head_and_do_not_depend_on_use_qk_norm() -> None:
    breakdown = count(architecture_of(use_qk_norm=False))
    assert [term.shape for term in breakdown.terms("norm_Q.weight")] == [(4 * 24,)]
    assert [term.shape for term in breakdown.terms("norm_K.weight")] == [(2 * 24,)]


def test_every_layer_is_moe_without_a_shared_expert() -> None:
    arch = architecture_of(shared_intermediate_size=512, num_local_experts=4, num_experts_per_tok=2)
    assert (arch.n_expert, arch.n_dense_layer, arch.d_ff_shared) == (4, 0, 0)
    assert [s.name for s in count(arch).sections] == ["embeddings", "MoE layer", "final"]
