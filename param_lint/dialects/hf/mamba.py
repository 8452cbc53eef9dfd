"""mamba: MambaForCausalLM (state-spaces/mamba-*-hf). Every layer is one RMSNorm and a
Mamba-1 mixer of width intermediate_size (expand * hidden_size unless given), state
state_size, conv conv_kernel, dt rank time_step_rank ("auto": ceil(hidden_size / 16));
use_bias on in_proj/out_proj, use_conv_bias on the conv. No attention, no MLP. Tied
embeddings unless tie_word_embeddings is false."""

from __future__ import annotations

from typing import Any

from ...architecture import Architecture, Mamba
from .. import Reader
from .ssm import ssm_stack, time_step_rank

MAMBA_DEFAULTS: dict[str, Any] = {
    "vocab_size": 50280,
    "hidden_size": 768,
    "state_size": 16,
    "num_hidden_layers": 32,
    "expand": 2,
    "conv_kernel": 4,
    "use_bias": False,
    "use_conv_bias": True,
    "tie_word_embeddings": True,
}


def mamba_architecture(r: Reader, defaults: dict[str, Any], inner_norms: bool = False) -> Architecture:
    d_model = r.integer("hidden_size", defaults["hidden_size"], field="d_model", minimum=1)
    n_layer = r.integer("num_hidden_layers", defaults["num_hidden_layers"], field="n_layer", minimum=1)
    expand = r.integer("expand", defaults["expand"], field="layers", minimum=1)
    mixer = Mamba(
        d_inner=r.integer("intermediate_size", expand * d_model, field="layers", minimum=1),
        d_state=r.integer("state_size", defaults["state_size"], field="layers", minimum=1),
        d_conv=r.integer("conv_kernel", defaults["conv_kernel"], field="layers", minimum=1),
        dt_rank=time_step_rank(r, "time_step_rank", d_model),
        conv_bias=r.boolean("use_conv_bias", defaults["use_conv_bias"], field="layers"),
        proj_bias=r.boolean("use_bias", defaults["use_bias"], field="layers"),
        inner_norms=inner_norms,
    )
    return ssm_stack(r, mixer, d_model, n_layer, defaults["vocab_size"], defaults["tie_word_embeddings"])


def architecture(r: Reader) -> Architecture:
    return mamba_architecture(r, MAMBA_DEFAULTS)
