"""Hugging Face `config.json`: one adapter module per `model_type`, listed in FAMILIES.

Each adapter exposes `architecture(r: Reader) -> Architecture`, reading the keys of its
transformers config class with that class's defaults (a key absent from the file takes
the value transformers gives it). A composite (multimodal) family also exposes
`parts(r) -> tuple[Part, ...]`: its towers and projector (parts.py, towers.py), while
`architecture` is its text model. Adding a family is one module and one line here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from .. import CannotCount, ModelConfig, Reader, declarations
from . import (
    baichuan,
    bart,
    bert,
    blip,
    bloom,
    chatglm,
    clip,
    clip_text_model,
    clip_vision_model,
    cohere,
    cohere2,
    dbrx,
    deberta_v2,
    deepseek_v2,
    deepseek_v3,
    deepseek_v4,
    deepseek_v32,
    dinov2,
    distilbert,
    electra,
    ernie4_5,
    ernie4_5_moe,
    exaone4,
    exaone4_5,
    falcon,
    falcon_h1,
    falcon_mamba,
    gemma,
    gemma2,
    gemma3,
    gemma3_text,
    gemma4,
    glm4,
    glm4_moe,
    glm4v,
    glm4v_moe,
    glm_moe_dsa,
    gpt2,
    gpt_bigcode,
    gpt_neox,
    gpt_oss,
    gptj,
    granite,
    granitemoe,
    granitemoehybrid,
    hubert,
    jamba,
    kimi_k2,
    kimi_k25,
    lfm2,
    lfm2_vl,
    llama,
    llava,
    llava_next,
    m2m_100,
    mamba,
    mamba2,
    marian,
    mbart,
    minicpm,
    minimax_m2,
    ministral3,
    mistral,
    mistral3,
    mixtral,
    mllama,
    mobilebert,
    modernbert,
    mpnet,
    mpt,
    mt5,
    nemotron,
    nemotron_h,
    olmo,
    olmo2,
    olmo3,
    olmoe,
    opt,
    phi,
    phi3,
    phimoe,
    qwen,
    qwen2,
    qwen2_5_omni,
    qwen2_5_vl,
    qwen2_audio,
    qwen2_moe,
    qwen2_vl,
    qwen3,
    qwen3_5,
    qwen3_5_moe,
    qwen3_moe,
    qwen3_next,
    qwen3_vl,
    qwen3_vl_moe,
    roberta,
    segformer,
    siglip,
    siglip2,
    siglip_vision_model,
    smollm3,
    stablelm,
    starcoder2,
    t5,
    vit,
    voxtral,
    wav2vec2,
    wavlm,
    whisper,
    xlm_roberta,
    yolos,
)

FAMILIES: dict[str, ModuleType] = {
    "baichuan": baichuan,
    "bart": bart,
    "bert": bert,
    "blip": blip,
    "bloom": bloom,
    "chatglm": chatglm,
    "clip": clip,
    "clip_text_model": clip_text_model,
    "clip_vision_model": clip_vision_model,
    "cohere": cohere,
    "cohere2": cohere2,
    "dbrx": dbrx,
    "deberta-v2": deberta_v2,
    "dinov2": dinov2,
    "deepseek_v2": deepseek_v2,
    "deepseek_v3": deepseek_v3,
    "deepseek_v32": deepseek_v32,
    "deepseek_v4": deepseek_v4,
    "distilbert": distilbert,
    "electra": electra,
    "ernie4_5": ernie4_5,
    "ernie4_5_moe": ernie4_5_moe,
    "exaone4": exaone4,
    "exaone4_5": exaone4_5,
    "falcon": falcon,
    "falcon_h1": falcon_h1,
    "falcon_mamba": falcon_mamba,
    "gemma": gemma,
    "gemma2": gemma2,
    "gemma3": gemma3,
    "gemma3_text": gemma3_text,
    "gemma4": gemma4,
    "glm4": glm4,
    "glm4_moe": glm4_moe,
    "glm4v": glm4v,
    "glm4v_moe": glm4v_moe,
    "glm_moe_dsa": glm_moe_dsa,
    "gpt2": gpt2,
    "gpt_bigcode": gpt_bigcode,
    "gpt_neox": gpt_neox,
    "gpt_oss": gpt_oss,
    "gptj": gptj,
    "granite": granite,
    "granitemoe": granitemoe,
    "granitemoehybrid": granitemoehybrid,
    "hubert": hubert,
    "jamba": jamba,
    "kimi_k2": kimi_k2,
    "kimi_k25": kimi_k25,
    "lfm2": lfm2,
    "lfm2_vl": lfm2_vl,
    "lfm2-vl": lfm2_vl,  # LiquidAI's published spelling (remote-code auto_map, native architectures)
    "llama": llama,
    "llava": llava,
    "llava_next": llava_next,
    "m2m_100": m2m_100,
    "mamba": mamba,
    "mamba2": mamba2,
    "marian": marian,
    "mbart": mbart,
    "minicpm": minicpm,
    "minimax_m2": minimax_m2,
    "ministral3": ministral3,
    "mistral": mistral,
    "mistral3": mistral3,
    "mixtral": mixtral,
    "mllama": mllama,
    "mobilebert": mobilebert,
    "modernbert": modernbert,
    "mpnet": mpnet,
    "mpt": mpt,
    "mt5": mt5,
    "nemotron": nemotron,
    "nemotron_h": nemotron_h,
    "olmo": olmo,
    "olmo2": olmo2,
    "olmo3": olmo3,
    "olmoe": olmoe,
    "opt": opt,
    "phi": phi,
    "phi3": phi3,
    "phimoe": phimoe,
    "qwen": qwen,
    "qwen2": qwen2,
    "qwen2_5_omni": qwen2_5_omni,
    "qwen2_5_vl": qwen2_5_vl,
    "qwen2_audio": qwen2_audio,
    "qwen2_moe": qwen2_moe,
    "qwen2_vl": qwen2_vl,
    "qwen3": qwen3,
    "qwen3_5": qwen3_5,
    "qwen3_5_moe": qwen3_5_moe,
    "qwen3_moe": qwen3_moe,
    "qwen3_next": qwen3_next,
    "qwen3_vl": qwen3_vl,
    "qwen3_vl_moe": qwen3_vl_moe,
    "roberta": roberta,
    "segformer": segformer,
    "siglip": siglip,
    "siglip2": siglip2,
    "siglip_vision_model": siglip_vision_model,
    "smollm3": smollm3,
    "stablelm": stablelm,
    "starcoder2": starcoder2,
    "t5": t5,
    "vit": vit,
    "wav2vec2": wav2vec2,
    "wavlm": wavlm,
    "yolos": yolos,
    "voxtral": voxtral,
    "whisper": whisper,
    "xlm-roberta": xlm_roberta,
}


# Families counted exactly on configs of our own only: no published config of them was found to
# check against (the README's tables say "0"); transformers 4.57.6 and 5.24.0 agree with their
# counts and tensor names on tests/hf/configs_own/ and tests/hf/composite_own/.
OWN_CONFIGS_ONLY = frozenset({"glm4", "llava_next", "siglip2"})


def counts(data: dict[str, Any]) -> bool:
    """Whether `data`'s model_type is one param-lint counts (other types may shape keys differently)."""
    return data.get("model_type") in FAMILIES


# Hybrid stacks list their layers one by one (and a checkpoint's names are per layer), so an
# absurd depth would take minutes and gigabytes before any finding: it is PL101 instead.
MAX_LAYERS = 100_000


def auto_config(data: Mapping[str, Any]) -> str | None:
    """A config without `model_type` whose auto_map names its config class (MiniCPM-2B's:
    transformers loads it through that class): the class, e.g.
    `configuration_minicpm.MiniCPMConfig`; None for any other file."""
    auto_map = data.get("auto_map")
    if "model_type" in data or not isinstance(auto_map, Mapping):
        return None
    value = auto_map.get("AutoConfig")
    return value if isinstance(value, str) and value else None


def remote_model_type(config_class: str) -> str | None:
    """The alias whose config class auto_map names (a family module's AUTO_CONFIG)."""
    return next((name for name, m in FAMILIES.items() if getattr(m, "AUTO_CONFIG", None) == config_class), None)


def read(top: Reader) -> ModelConfig:
    config_class = auto_config(top.data)
    if config_class is not None:
        model_type = remote_model_type(config_class)
        if model_type is None:
            raise CannotCount(
                (*top.path("auto_map"), "AutoConfig"),
                remote_code_message(top.data["auto_map"], f"(none; auto_map's AutoConfig is {config_class})"),
            )
    else:
        model_type = top.string("model_type")
    family = FAMILIES.get(model_type)
    if family is None:
        raise CannotCount(top.path("model_type"), unsupported_message(top, model_type))
    for reader in (top, top.mapping("text_config")) if isinstance(top.data.get("text_config"), Mapping) else (top,):
        depth = reader.data.get("num_hidden_layers")
        if isinstance(depth, int) and not isinstance(depth, bool) and depth > MAX_LAYERS:
            reader.fail(
                "num_hidden_layers", f"num_hidden_layers is {depth:,}; param-lint reads up to {MAX_LAYERS:,} layers"
            )
    architecture = family.architecture(top)
    parts = family.parts(top) if hasattr(family, "parts") else ()
    return ModelConfig("huggingface", architecture, top.sources, family=model_type, parts=parts, **declarations(top))


def unsupported_message(top: Reader, model_type: str) -> str:
    """Why a model_type cannot be counted: remote code, or a type param-lint does not know yet."""
    if "auto_map" in top.data:
        return remote_code_message(top.data["auto_map"], model_type)
    known = ", ".join(sorted(FAMILIES))
    return f"cannot count model_type {model_type!r} yet; param-lint counts: {known}"


# auto_map entries that name the model class, most telling first (the others name configs,
# tokenizers, processors).
_MODEL_ENTRIES = ("AutoModelForCausalLM", "AutoModel", "AutoModelForSeq2SeqLM", "AutoModelForImageTextToText")


def remote_code_class(auto_map: object) -> str | None:
    """`AutoModelForCausalLM -> modeling_chatglm.ChatGLMForConditionalGeneration`: the model
    class a config's auto_map names (None when it names none)."""
    if not isinstance(auto_map, dict):
        return None
    entries = [key for key in _MODEL_ENTRIES if key in auto_map]
    entries += [key for key in auto_map if key.startswith("AutoModel") and key not in entries]
    for key in entries:
        value = auto_map[key]
        if isinstance(value, str) and value:
            return f"{key} -> {value}"
    return None


def aliases() -> dict[str, str]:
    """Remote-code model types param-lint counts as the supported family they are (a family
    module's ALIAS_OF)."""
    return {name: module.ALIAS_OF for name, module in sorted(FAMILIES.items()) if hasattr(module, "ALIAS_OF")}


def remote_code_message(auto_map: object, model_type: str) -> str:
    """PL102 for a remote-code model: which class, why it cannot be counted, what to do."""
    named = remote_code_class(auto_map)
    where = f" (auto_map: {named})" if named else " (auto_map)"
    known = ", ".join(f"{alias} (as {family})" for alias, family in aliases().items())
    shown = model_type if model_type.startswith("(none") else repr(model_type)
    return (
        f"cannot count model_type {shown}: its model is remote code{where}, Python from the "
        "model's repository that param-lint does not run, and no supported family is known to match it "
        f"(remote-code types counted as the family they are: {known}). "
        "To pass over this file, add PL102 to its [tool.param-lint.per-file-ignores]; with "
        "expected_params declared for it this is an error, since the count cannot be checked"
    )
