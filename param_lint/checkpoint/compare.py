"""A checkpoint against its config: which tensors are missing, extra, or wrongly shaped.

The config gives the tensors transformers would build (`names.expected_tensors`); the
checkpoint gives what its index and headers hold (`folder.read_checkpoint`). Tensors a
checkpoint normally holds besides (a second copy of a tied head, rotary `inv_freq`,
causal-mask buffers, multi-token-prediction layers, quantization scales) are recognised
and named. A quantized checkpoint is checked only for what still holds: every module is
there, and unpacked dimensions where the method says how it packs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..architecture import Architecture
from ..counting import Breakdown
from ..parts import Part
from .folder import Checkpoint
from .names import LOAD_RENAMES, NAMINGS, TABLES, Expected, Tensor, expected_tensors
from .safetensors import Stored

# Bytes per parameter of a config's torch_dtype.
DTYPE_BYTES = {"float32": 4, "float": 4, "float16": 2, "half": 2, "bfloat16": 2, "float64": 8, "double": 8}
# Tensors a quantization method adds beside (or instead of) a module's weight.
QUANTIZATION_SUFFIXES = (
    "qweight",
    "qzeros",
    "scales",
    "g_idx",
    "weight_scale_inv",
    "weight_scale",
    "input_scale",
    "weight_zero_point",
    "weight_packed",
    "weight_shape",
    "SCB",
    "weight_format",
)
# Methods that store each weight in its own shape (one element per parameter, 8-bit floats).
UNPACKED = ("fp8", "fbgemm_fp8", "finegrained_fp8")
# Block scales some fp8 checkpoints keep under other names (DeepSeek-V4's `wkv.scale`, Mistral
# Large 3's `qscale_weight`): transformers 5.24.0's fp8 quantizer renames them weight_scale_inv.
FP8_SCALES = ("scale", "qscale_weight")
_LAYER = re.compile(r"\.(?:layers|h|blocks|block)\.(\d+)\.")


@dataclass
class Mismatch:
    """A tensor stored with another shape than the config implies."""

    name: str
    expected: Tensor
    stored: tuple[int, ...]
    why: str = ""  # what makes the config's shape impossible to store, when something does


@dataclass
class Comparison:
    """Everything the PL5xx rules (and PL301) report about one checkpoint."""

    checkpoint: Checkpoint
    expected: Expected
    params: int  # the config's count
    family: str
    arch: Architecture
    data: Mapping[str, Any]
    quantization: str | None = None  # quant_method, when the config declares one
    dtype_bytes: int | None = None  # bytes per parameter at the config's torch_dtype
    fp4_experts: bool = False  # fp8 with expert_dtype "fp4": experts packed two values a byte
    missing: list[str] = field(default_factory=list)
    unexpected: list[tuple[str, str]] = field(default_factory=list)  # (name, what it is)
    recognised: dict[str, str] = field(default_factory=dict)  # name -> what it is (not a parameter)
    mismatched: list[Mismatch] = field(default_factory=list)
    canonical: dict[str, str] = field(default_factory=dict)  # stored name -> expected name (no base prefix)

    @property
    def extras(self) -> set[str]:
        """Stored tensors that are not the config's parameters but are recognised (copies,
        buffers, multi-token-prediction layers, quantization data)."""
        return set(self.recognised) | {name for name, what in self.unexpected if what}


def compare(
    family: str,
    arch: Architecture,
    breakdown: Breakdown,
    data: Mapping[str, Any],
    checkpoint: Checkpoint,
    parts: tuple[Part, ...] = (),
) -> Comparison:
    """The checkpoint against the tensors the config implies: in the layout transformers holds
    in memory, or where the family's checkpoints on disk hold another (`Naming.saved`: experts
    one per expert), in that one when the checkpoint fits it better."""
    result = _compare(expected_tensors(family, arch, breakdown, data, parts), family, arch, breakdown, data, checkpoint)
    if NAMINGS[family].saved and _problems(result):
        saved = expected_tensors(family, arch, breakdown, data, parts, saved=True)
        other = _compare(saved, family, arch, breakdown, data, checkpoint)
        if _problems(other) < _problems(result):
            return other
    return result


def _problems(result: Comparison) -> int:
    """How badly a checkpoint fits one layout: tensors missing, unknown or wrongly shaped."""
    return len(result.missing) + sum(1 for _, what in result.unexpected if not what) + len(result.mismatched)


def _compare(
    expected: Expected,
    family: str,
    arch: Architecture,
    breakdown: Breakdown,
    data: Mapping[str, Any],
    checkpoint: Checkpoint,
) -> Comparison:
    quantization = data.get("quantization_config")
    method = None
    if isinstance(quantization, Mapping):
        method = str(quantization.get("quant_method") or "unknown")
    dtype = data.get("torch_dtype") or data.get("dtype")
    result = Comparison(checkpoint, expected, breakdown.total, family, arch, data, method, DTYPE_BYTES.get(str(dtype)))
    result.fp4_experts = method in UNPACKED and "fp4" in (
        data.get("expert_dtype"),
        quantization.get("expert_dtype") if isinstance(quantization, Mapping) else None,
    )
    tensors, stored_of = expected.tensors, checkpoint.stored
    names = checkpoint.names
    # The common case with set operations (a checkpoint of 100,000 tensors in tens of ms):
    # names the config implies, with their shapes compared; the rest one by one below.
    present = tensors.keys() & names
    for name, stored in stored_of.items():
        tensor = tensors.get(name)
        if tensor is not None and tensor.shape != stored.shape:
            _compare_shape(result, name, tensor, stored)
    others = [name for name in names if name not in present] if len(present) < len(names) else []
    mxfp4: dict[str, set[str]] = {}  # an MXFP4 weight -> which of its _blocks and _scales are stored
    for name in others:
        canonical = _canonical(name, expected)
        if canonical != name:
            result.canonical[name] = canonical
        if canonical in tensors:
            present.add(canonical)
            entry = stored_of.get(name)
            if entry is not None:
                _compare_shape(result, name, tensors[canonical], entry)
            continue
        if canonical in expected.buffers:
            result.recognised[name] = "a buffer transformers keeps in its state dict"
            continue
        module, _, suffix = canonical.rpartition(".")
        if method == "mxfp4" and canonical[-7:] in ("_blocks", "_scales") and _stacked(tensors.get(canonical[:-7])):
            _mxfp4(result, name, canonical[:-7], tensors[canonical[:-7]], stored_of.get(name))
            mxfp4.setdefault(canonical[:-7], set()).add(canonical[-7:])
            continue
        scale = method in UNPACKED and suffix in FP8_SCALES and _linear(tensors.get(f"{module}.weight"))
        if method and (suffix in QUANTIZATION_SUFFIXES or scale or ".weight." in canonical):
            base = canonical.split(".weight.")[0] if ".weight." in canonical else module
            if f"{base}.weight" in tensors and _quantized(tensors[f"{base}.weight"], method, suffix):
                if method not in UNPACKED:  # fp8 keeps the weight itself beside its scales
                    present.add(f"{base}.weight")
                result.recognised[name] = f"{method} quantization data of {base}"
                continue
        result.unexpected.append((name, _extra(canonical, expected, arch, data) or ""))
    present |= {base for base, stored in mxfp4.items() if len(stored) == 2}  # blocks without scales hold no weight
    result.missing = [name for name in tensors if name not in present] if len(present) < len(tensors) else []
    return result


def _quantized(weight: Tensor, method: str, suffix: str) -> bool:
    """Whether a quantizer may store data beside this weight: not beside a norm's vector, which
    none of transformers' quantizers replaces (GPTQ, AWQ, bitsandbytes, fp8: linear layers;
    compressed-tensors: linear layers and embeddings), but for quanto's QLayerNorm, which keeps
    an input_scale beside a LayerNorm's weight when activations are quantized."""
    return len(weight.shape) != 1 or (method == "quanto" and suffix == "input_scale")


def _linear(tensor: Tensor | None) -> bool:
    """Whether a weight is a linear layer's, the only modules transformers' fp8 quantizer
    replaces: a matrix (or stacked experts' matrices), not a norm's vector or an embedding table."""
    return tensor is not None and len(tensor.shape) >= 2 and not set(tensor.terms) & set(TABLES)


def _mxfp4(result: Comparison, name: str, base: str, tensor: Tensor, stored: Stored | None) -> None:
    """gpt-oss's MXFP4 experts: `gate_up_proj` stored as `gate_up_proj_blocks` (two 4-bit values
    a byte, (E, out, in / 32, 16)) and `gate_up_proj_scales` (one per block of 32, (E, out,
    in / 32)), the serialized_names of transformers 5.24.0's Mxfp4HfQuantizer; both size-checked."""
    result.recognised[name] = f"mxfp4 quantization data of {base}"
    if stored is None:
        return
    per_element = 2 if name.endswith("_blocks") else 32  # two 4-bit values a byte; a scale per 32 values
    if stored.numel * per_element != tensor.numel:
        result.mismatched.append(Mismatch(name, tensor, stored.shape))


def _stacked(tensor: Tensor | None) -> bool:
    """Whether a weight is stacked experts' matrices (E, in, out), what Mxfp4HfQuantizer packs
    (gate_up_proj, down_proj; never their biases)."""
    return tensor is not None and len(tensor.shape) == 3


def _canonical(name: str, expected: Expected) -> str:
    """The expected name for a stored one: a bare base model's checkpoint omits the prefix
    (GPT-2's `h.0.attn.c_attn.weight` is `transformer.h.0.attn.c_attn.weight`); a multimodal
    checkpoint keeps the layout transformers renames on load (`language_model.model.` is
    `model.language_model.`), an old BERT its LayerNorm gamma and beta."""
    if name in expected.tensors:
        return name
    for renames in (LOAD_RENAMES, expected.renames):
        for pattern, replacement in renames:
            name, n = re.subn(pattern, replacement, name)
            if n:
                break
    if name in expected.tensors or not expected.base:
        return name
    prefixed = expected.base + name
    if prefixed in expected.tensors or prefixed in expected.copies or prefixed in expected.buffers:
        return prefixed
    return name


def _extra(name: str, expected: Expected, arch: Architecture, data: Mapping[str, Any]) -> str | None:
    """What a tensor the config does not imply is, when it is one a checkpoint normally holds."""
    if name in expected.copies:
        return "a second copy of the tied token embedding (tie_word_embeddings): transformers ties it on load"
    if name.endswith("rotary_emb.inv_freq") or name.endswith(".inv_freq"):
        return "the rotary inv_freq buffer, which transformers recomputes"
    if name.endswith("embeddings.position_ids"):
        return "the position_ids buffer, which transformers rebuilds"
    if name.endswith((".attn.bias", ".attn.masked_bias")):
        return "a causal-mask buffer, which transformers rebuilds"
    n_mtp = data.get("num_nextn_predict_layers") or data.get("num_mtp_layers") or 0
    layer = _LAYER.search(name)
    if isinstance(n_mtp, int) and layer and arch.n_layer <= int(layer.group(1)) < arch.n_layer + n_mtp:
        return f"a multi-token-prediction layer (num_nextn_predict_layers: {n_mtp}), which transformers does not build"
    if ".mtp." in f".{name}" or name.startswith("mtp"):
        return "a multi-token-prediction module, which transformers does not build"
    if data.get("model_type") == "gemma4" and _kv_shared_projection(name, arch, data):
        return "the keys/values of a KV-shared layer (num_kv_shared_layers), which transformers drops on load"
    return None


_KV_SHARED = re.compile(r"^model\.language_model\.layers\.(\d+)\.self_attn\.(?:k_proj|v_proj|k_norm|v_norm)\.")


def _kv_shared_projection(name: str, arch: Architecture, data: Mapping[str, Any]) -> bool:
    """Whether `name` is a k/v projection or norm of one of Gemma 4's last num_kv_shared_layers
    layers, which transformers 5.24.0 lists in _keys_to_ignore_on_load_unexpected."""
    text = data.get("text_config")
    shared = text.get("num_kv_shared_layers", 0) if isinstance(text, Mapping) else 0
    match = _KV_SHARED.match(name)
    return bool(match and isinstance(shared, int) and int(match.group(1)) >= arch.n_layer - shared)


def _compare_shape(result: Comparison, name: str, tensor: Tensor, stored: Stored) -> None:
    if stored.shape == tensor.shape:
        return
    if result.quantization not in (None, *UNPACKED) and stored.numel != tensor.numel:
        return  # packed: the stored shape says nothing the method does not change
    experts = any(term.startswith("experts.") for term in tensor.terms)
    # transformers 5.24.0's FP8Experts with expert_dtype "fp4": int8, the input dimension halved.
    # An odd one cannot be halved: _alloc_expert_proj allocates in // 2 bytes, one value short.
    why = ""
    if result.fp4_experts and experts:
        if stored.shape == (*tensor.shape[:-1], tensor.shape[-1] // 2) and tensor.shape[-1] % 2 == 0:
            return
        if tensor.shape[-1] % 2:
            why = f"an odd input dimension ({tensor.shape[-1]}) cannot be packed two FP4 values a byte"
    result.mismatched.append(Mismatch(name, tensor, stored.shape, why))


def layer_of(name: str) -> int | None:
    """The layer index in a tensor name, if it has one."""
    match = _LAYER.search(name)
    return int(match.group(1)) if match else None


def collapse(name: str) -> str:
    """A name with every index replaced by {}: model.layers.{}.mlp.experts.{}.w1.weight."""
    return re.sub(r"(?<=\.)\d+(?=\.)", "{}", name)


def grouped(items: list[tuple[str, Any]]) -> list[tuple[str, Any, int]]:
    """(name, detail) pairs grouped by name pattern and detail: the first name of each
    group, its detail, and how many share them, in the order first seen. Keeps a wrong
    num_hidden_layers from becoming thousands of findings."""
    groups: dict[tuple[str, Any], list[str]] = {}
    for name, detail in items:
        groups.setdefault((collapse(name), detail), []).append(name)
    return [(names[0], detail, len(names)) for (_, detail), names in groups.items()]


def more(count: int, name: str) -> str:
    """' (and 31 more like it: model.layers.{}.self_attn.o_proj.weight)' or ''."""
    return f" (and {count - 1:,} more like it: {collapse(name)})" if count > 1 else ""
