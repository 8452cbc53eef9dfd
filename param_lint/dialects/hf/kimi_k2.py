"""kimi_k2: Kimi-K2 (moonshotai/Kimi-K2-Instruct, -Base, -Thinking): DeepSeek-V3 under
another name. Its config.json says model_type "kimi_k2" and loads through remote code
(auto_map -> configuration_deepseek.DeepseekV3Config), but its architectures entry is
DeepseekV3ForCausalLM, the class transformers has natively: the keys, blocks and defaults
are DeepSeek-V3's (see deepseek_v3), so the count is that model's."""

from __future__ import annotations

from ...architecture import Architecture
from .. import Reader
from .deepseek_v3 import architecture as deepseek_v3_architecture

# The supported family this remote-code type is (hf.aliases, the PL102 message).
ALIAS_OF = "deepseek_v3"


def architecture(r: Reader) -> Architecture:
    return deepseek_v3_architecture(r)
