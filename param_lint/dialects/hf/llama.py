"""llama: LlamaForCausalLM (Llama 1, 2, 3): the template most other families follow."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .common import llama_like


def architecture(r: Reader) -> Architecture:
    return llama_like(r)
