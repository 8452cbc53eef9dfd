"""mamba2: Mamba2ForCausalLM (Mamba-Codestral, state-spaces/mamba2-*-hf ports). Every layer
is one RMSNorm and a Mamba-2 mixer (`ssm.mamba2_mixer`): expand x hidden_size wide, which
transformers requires to equal num_heads x head_dim, n_groups groups of state_size, conv
conv_kernel with use_conv_bias, use_bias on in_proj and out_proj, a gated RMSNorm over the
width. No attention, no MLP; a final RMSNorm. The lm_head is untied unless
tie_word_embeddings is true (Mamba2Config's default is false)."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .ssm import Mamba2Keys, mamba2_mixer, ssm_stack

DEFAULTS = {"vocab_size": 32768, "hidden_size": 4096, "num_hidden_layers": 64}

MAMBA2_KEYS = Mamba2Keys(
    n_head=("num_heads", 128),
    d_state=("state_size", 128),
    d_conv=("conv_kernel", 4),
    n_group=("n_groups", 8),
    expand=("expand", 2),
    conv_bias=("use_conv_bias", True),
    proj_bias=("use_bias", False),
    head_dim=("head_dim", 64),
)


def architecture(r: Reader) -> Architecture:
    d_model = r.integer("hidden_size", DEFAULTS["hidden_size"], field="d_model", minimum=1)
    n_layer = r.integer("num_hidden_layers", DEFAULTS["num_hidden_layers"], field="n_layer", minimum=1)
    mixer = mamba2_mixer(r, d_model, MAMBA2_KEYS)
    return ssm_stack(r, mixer, d_model, n_layer, DEFAULTS["vocab_size"], tie=False)
