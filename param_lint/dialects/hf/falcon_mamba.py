"""falcon_mamba: FalconMambaForCausalLM (tiiuae/falcon-mamba-7b). The Mamba-1 model of
`mamba.py` with the same keys and defaults; its extra RMS normalisations of dt, B and C
have no weights (unlike Jamba's). falcon-mamba-7b sets intermediate_size (8192) apart from
expand (16), and the key wins."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .mamba import MAMBA_DEFAULTS, mamba_architecture


def architecture(r: Reader) -> Architecture:
    return mamba_architecture(r, MAMBA_DEFAULTS)
