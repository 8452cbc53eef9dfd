"""The Megatron family: NeMo 1 `model:` YAML (and NeMo Launcher training configs), NeMo 2
`context/model.yaml` dumps, Megatron-Bridge `run_config.yaml` and Megatron-LM `--yaml-cfg`.

All four describe megatron-core's `TransformerConfig`, so one key map serves them: the
field names of `TransformerConfig` (num_layers, hidden_size, num_query_groups,
kv_channels, ffn_hidden_size, gated_linear_unit, add_bias_linear ...) plus NeMo 1's
aliases (`bias`, `activation: fast-swiglu`, `normalization: rmsnorm`). Where the
model section sits:

| flavour | architecture keys | vocabulary |
| --- | --- | --- |
| NeMo 1 / Launcher | `model:` | `model.tokenizer` (a name: n_vocab must be declared) |
| NeMo 2 dump | `config:` beside `_target_` | top-level `tokenizer:` (likewise) |
| Megatron-Bridge | `model:` with `_target_` | `model.vocab_size` or `tokenizer.vocab_size` |
| Megatron-LM `--yaml-cfg` | `language_model:`, `model_parallel:` | top-level `vocab_size` |

OmegaConf interpolations (`${.hidden_size}`, `${multiply:4, ${.hidden_size}}`) are
resolved by `interpolation.py`. The vocabulary is padded as the frameworks pad it:
up to a multiple of `make_vocab_size_divisible_by` x `tensor_model_parallel_size`
(Megatron-Bridge only with `should_pad_vocab: true`). The count is megatron-core's
`GPTModel`: embedding, (learned positions), per layer input norm, QKV, output projection,
pre-MLP norm, MLP (or router + experts + shared experts), final norm, untied output layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..architecture import Architecture
from ..parallel import Parallel, VocabPadding, no_vocabulary, pad_vocab
from . import CannotCount, ConfigError, Dialect, Facts, ModelConfig, Reader
from .interpolation import Resolver, Unresolved

# TransformerConfig / NeMo keys that only a Megatron-family model section has.
_ARCHITECTURE_KEYS = ("num_layers", "hidden_size", "num_attention_heads")
_PARALLEL_KEYS = ("tensor_model_parallel_size", "pipeline_model_parallel_size")


def flavour(data: Any) -> tuple[str, tuple[str, ...]] | None:
    """Which Megatron-family file this is, and where its TransformerConfig keys are."""
    if not isinstance(data, Mapping):
        return None
    language = data.get("language_model")
    if isinstance(language, Mapping) and _has_all(language, _ARCHITECTURE_KEYS):
        return "megatron-lm", ("language_model",)
    config = data.get("config")
    if "_target_" in data and isinstance(config, Mapping) and _has_all(config, _ARCHITECTURE_KEYS):
        return "nemo2", ("config",)
    model = data.get("model")
    if isinstance(model, Mapping):
        if _has_all(model, _ARCHITECTURE_KEYS):
            return ("megatron-bridge" if "_target_" in model else "nemo1"), ("model",)
        if any(key in model for key in _PARALLEL_KEYS) and not _foreign(model):
            return "override", ("model",)
    return None


def _has_all(mapping: Mapping[str, Any], keys: tuple[str, ...]) -> bool:
    return all(key in mapping for key in keys)


def _foreign(model: Mapping[str, Any]) -> bool:
    """Model keys of other formats (native, levanter, OLMo ...) that Megatron never uses."""
    return any(key in model for key in ("n_layer", "d_model", "n_head", "type", "name", "n_layers", "model_type"))


def recognise(data: dict) -> bool:
    return flavour(data) is not None


class _Resolved(Reader):
    """A Reader over resolved data: an unresolvable interpolation is a ConfigError when read."""

    def _value(self, key: str, default: Any, field: str | None) -> Any:
        value = self.data.get(key)
        if isinstance(value, Unresolved):
            self.fail(key, f"{key}: {value.message}")
        return super()._value(key, default, field)

    def mapping(self, key: str) -> Reader:
        inner = super().mapping(key)
        return _Resolved(inner.data, inner.base, self.sources)


class _Keys:
    """Look a field up under any of its names, in several sections, first found wins."""

    def __init__(self, readers: list[Reader]) -> None:
        self.readers = readers

    def find(self, *names: str) -> tuple[Reader, str] | None:
        for reader in self.readers:
            for name in names:
                if reader.has(name):
                    return reader, name
        return None

    def has(self, *names: str) -> bool:
        return self.find(*names) is not None

    def get(self, kind: str, names: tuple[str, ...], default: Any, field: str | None = None, **kw: Any) -> Any:
        found = self.find(*names)
        if found is None:
            return default
        reader, name = found
        return getattr(reader, kind)(name, default, field=field, **kw)

    def integer(self, *names: str, default: Any = None, field: str | None = None, minimum: int = 0) -> Any:
        return self.get("integer", names, default, field, minimum=minimum)

    def boolean(self, *names: str, default: Any = None, field: str | None = None) -> Any:
        return self.get("boolean", names, default, field)

    def string(self, *names: str, default: Any = None, field: str | None = None) -> Any:
        found = self.find(*names)
        if found is None:
            return default
        reader, name = found
        value = reader.data[name]
        if isinstance(value, Mapping) and isinstance(value.get("_target_"), str):
            # a NeMo 2 dump writes functions as {_target_: torch.nn.functional.silu, _call_: false}
            if field is not None:
                reader.sources[field] = reader.path(name)
            return value["_target_"]
        return reader.string(name, default, field=field)

    def path(self, *names: str) -> tuple:
        found = self.find(*names)
        return found[0].path(found[1]) if found else ()

    def fail(self, names: tuple[str, ...], message: str) -> Any:
        found = self.find(*names)
        path = found[0].path(found[1]) if found else (self.readers[0].base if self.readers else ())
        raise ConfigError(tuple(path), message)


def read(top: Reader, facts: Facts) -> ModelConfig:
    kind = flavour(top.data)
    assert kind is not None
    name, (section,) = kind
    resolver = Resolver(top.data)
    sources = top.sources

    def resolved(*path: str) -> Reader:
        tree = resolver.resolved_tree(path) if _exists(top.data, path) else {}
        if not isinstance(tree, Mapping):
            raise ConfigError(path, f"{'.'.join(path)} must be a mapping")
        _raise_cycles(tree, path)
        return _Resolved(tree, path, sources)

    model = resolved(section)
    readers = [model]
    if name == "megatron-lm":
        readers += [resolved("model_parallel"), resolved()]
    if name == "override":
        raise CannotCount(
            (section,),
            "this Megatron-Bridge file only overrides a recipe's settings (parallel sizes, sequence length); "
            "the architecture is in the recipe it is passed to, so it cannot be counted from this file",
        )
    keys = _Keys(readers)
    parallel = _parallel(keys)
    try:
        arch, padding, notes = _architecture(name, keys, top, model, facts, resolved)
    except (CannotCount, ConfigError) as error:
        setattr(error, "parallel", parallel)  # noqa: B010  (the launch checks, PL4xx, still run)
        raise
    return ModelConfig(
        "megatron",
        arch,
        sources,
        name=_name(top, name),
        parallel=parallel,
        vocab_padding=padding,
        notes=notes,
        **_declarations(),
    )


def _declarations() -> dict[str, Any]:
    # These formats reject unknown keys (OmegaConf structured configs, fiddle dumps):
    # expected counts come from a `# param-lint:` directive or pyproject, never the file.
    return {}


def _name(top: Reader, flavour_name: str) -> str:
    run = top.data.get("run")
    if isinstance(run, Mapping) and isinstance(run.get("name"), str) and "${" not in run["name"]:
        return run["name"]
    if isinstance(top.data.get("name"), str) and "${" not in top.data["name"]:
        return top.data["name"]
    return ""


def _exists(data: Any, path: tuple[str, ...]) -> bool:
    for item in path:
        if not isinstance(data, Mapping) or item not in data:
            return False
        data = data[item]
    return True


def _raise_cycles(tree: Any, path: tuple) -> None:
    """An interpolation cycle anywhere in the model section is a finding, read or not."""
    if isinstance(tree, Unresolved) and tree.cycle:
        raise ConfigError(path, tree.message)
    if isinstance(tree, Mapping):
        for key, value in tree.items():
            _raise_cycles(value, (*path, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            _raise_cycles(value, (*path, index))


_GATED_ACTIVATIONS = ("glu",)  # NeMo 1: geglu, swiglu, reglu and their fast- variants


def _architecture(
    flavour_name: str, k: _Keys, top: Reader, model: Reader, facts: Facts, resolved: Any
) -> tuple[Architecture, VocabPadding | None, tuple[str, ...]]:
    n_layer = k.integer("num_layers", field="n_layer", minimum=1)
    d_model = k.integer("hidden_size", field="d_model", minimum=1)
    n_head = k.integer("num_attention_heads", field="n_head", minimum=1)
    # megatron-core: kv_channels = hidden_size // num_attention_heads when not given
    # (PL408 says when that division leaves a remainder).
    d_head = k.integer("kv_channels", default=d_model // n_head, field="d_head", minimum=1)
    n_kv_head = k.integer("num_query_groups", default=n_head, field="n_kv_head", minimum=1)
    gated = _gated(flavour_name, k)
    d_ff = k.integer("ffn_hidden_size", field="d_ff", minimum=1)
    if d_ff is None:
        if flavour_name == "nemo1":
            k.fail(("hidden_size",), "ffn_hidden_size is needed: NeMo sets the MLP width from it")
        # Megatron-LM's yaml_arguments.validate_yaml for swiglu; else TransformerConfig.__post_init__
        d_ff = int((4 * d_model * 2 / 3) / 64) * 64 if flavour_name == "megatron-lm" and gated else 4 * d_model
    bias = k.boolean("add_bias_linear", "bias", default=True, field="mlp_bias")
    qkv_bias = bias or k.boolean("add_qkv_bias", "qkv_bias", default=False, field="qkv_bias")
    norm = _norm(k)
    tie = _tied(k)
    position, n_context = _position(flavour_name, k)

    latent = _latent_attention(k)
    qk_layernorm = k.boolean("qk_layernorm", default=False, field="qk_norm")
    if latent:
        d_head = latent.pop("d_head")
        if not qk_layernorm:  # megatron-core's q/kv latent norms exist only with qk_layernorm
            raise CannotCount(
                k.path("multi_latent_attention"),
                "multi-head latent attention without qk_layernorm (no norms on the latents) is not counted yet",
            )
    n_vocab, padding = _vocabulary(flavour_name, k, top, model, facts, resolved)
    notes: tuple[str, ...] = (padding.describe(),) if padding and padding.rows else ()

    arch = Architecture(
        n_vocab=n_vocab,
        n_layer=n_layer,
        d_model=d_model,
        n_head=n_head,
        d_head=d_head,
        n_kv_head=n_kv_head,
        d_ff=d_ff,
        n_context=n_context,
        position_embedding=position,
        tie_embeddings=tie,
        qkv_bias=qkv_bias,
        out_bias=bias,
        # with latent attention, qk_layernorm is the norms on the q and kv latents
        qk_norm="head" if qk_layernorm and not latent else "none",
        qk_norm_bias=norm == "layernorm",
        mlp="gated" if gated else "standard",
        mlp_bias=bias,
        norm=norm,
        norm_bias=True,
        norms_per_layer=2,
        final_norm=True,
        **_moe(k, d_ff, n_layer),
        **latent,
    )
    return arch, padding, notes


def _gated(flavour_name: str, k: _Keys) -> bool:
    """A gated MLP (SwiGLU, GeGLU): fc1 is twice ffn_hidden_size wide."""
    if k.has("gated_linear_unit") and k.boolean("gated_linear_unit", field="mlp"):
        return True
    if flavour_name == "megatron-lm" and k.has("activation_func"):
        return k.string("activation_func", field="mlp") == "swiglu"  # core_transformer_config_from_yaml
    if k.has("swiglu") and k.boolean("swiglu", field="mlp"):
        return True
    if flavour_name == "nemo1" and k.has("activation"):
        activation = k.string("activation", field="mlp")
        return activation.endswith(_GATED_ACTIVATIONS)
    return False


def _norm(k: _Keys) -> str:
    value = k.string("normalization", default="LayerNorm", field="norm")
    lowered = value.lower()
    if lowered in ("layernorm", "layernorm1p", "low_precision_layernorm"):
        return "layernorm"
    if lowered == "rmsnorm":
        return "rmsnorm"
    return k.fail(("normalization",), f"normalization must be LayerNorm or RMSNorm, got {value!r}")


def _tied(k: _Keys) -> bool:
    if k.has("untie_embeddings_and_output_weights"):
        return not k.boolean("untie_embeddings_and_output_weights", field="tie_embeddings")
    return bool(k.boolean("share_embeddings_and_output_weights", default=True, field="tie_embeddings"))


_ROTARY = ("rope", "yarn", "mrope", "xpos", "kerple", "sandwich")


def _position(flavour_name: str, k: _Keys) -> tuple[str, int]:
    kind = k.string("position_embedding_type", default="learned_absolute", field="position_embedding")
    no_table = flavour_name == "megatron-lm" and not k.boolean("add_position_embedding", default=True)
    if no_table and kind == "learned_absolute":
        return "none", 0
    if kind == "learned_absolute":
        # NeMo 1 and Megatron-LM size the table by max_position_embeddings; NeMo 2 and
        # Megatron-Bridge pass seq_length to GPTModel as max_sequence_length.
        names = ("max_position_embeddings",) if flavour_name in ("nemo1", "megatron-lm") else ("seq_length",)
        n_context = k.integer(*names, field="n_context", minimum=1)
        if n_context is None:
            k.fail(("position_embedding_type",), f"{names[0]} is needed: learned positions have one row per position")
        return "learned", n_context
    if kind in _ROTARY:
        return "rotary", 0
    if kind in ("none", "alibi"):
        return ("alibi" if kind == "alibi" else "none"), 0
    return k.fail(("position_embedding_type",), f"position_embedding_type {kind!r} is not one param-lint knows")


def _vocabulary(
    flavour_name: str, k: _Keys, top: Reader, model: Reader, facts: Facts, resolved: Any
) -> tuple[int, VocabPadding | None]:
    """The padded vocabulary: the file's or the declared size, rounded up as the framework does."""
    given = k.integer("vocab_size", field="n_vocab", minimum=1)
    if flavour_name == "megatron-lm" and given is not None:
        # Megatron-LM reads --vocab-size only for its NullTokenizer, which adds the
        # end-of-document token; any other tokenizer brings its own size.
        if k.string("tokenizer_type", default=None) == "NullTokenizer":
            given += 1
        else:
            given = None
    tokenizer_reader = None
    if given is None and flavour_name in ("nemo2", "megatron-bridge") and _exists(top.data, ("tokenizer",)):
        tokenizer_reader = resolved("tokenizer")
        given = tokenizer_reader.integer("vocab_size", None, field="n_vocab", minimum=1)
    if given is None:
        given = facts.n_vocab
    if given is None:
        raise CannotCount(_tokenizer_path(flavour_name, k, top), _no_vocabulary(flavour_name, k, top, model))
    divisible_by = k.integer("make_vocab_size_divisible_by", default=128, field="vocab_padding", minimum=1)
    tp = k.integer("tensor_model_parallel_size", default=None)
    tp_from = "tensor_model_parallel_size"
    if tp is None:
        tp, tp_from = (facts.tensor_parallel or 1), "tensor_parallel"
    if flavour_name == "megatron-bridge" and not k.boolean("should_pad_vocab", default=False):
        return given, None
    multiple = divisible_by * tp
    padding = VocabPadding(
        given, multiple, divisible_by, tp, f"make_vocab_size_divisible_by {divisible_by} x {tp_from} {tp}"
    )
    return pad_vocab(given, multiple), padding


def _tokenizer_path(flavour_name: str, k: _Keys, top: Reader) -> tuple:
    if flavour_name == "nemo1" and k.has("tokenizer"):
        return k.path("tokenizer")
    if "tokenizer" in top.data:
        return ("tokenizer",)
    return k.path("tokenizer_type", "tokenizer_model", "vocab_size") or k.readers[0].base


def _no_vocabulary(flavour_name: str, k: _Keys, top: Reader, model: Reader) -> str:
    """Why the vocabulary size is unknown, naming the tokenizer the file gives instead."""
    tokenizer: Any = None
    if flavour_name == "nemo1":
        tokenizer = model.data.get("tokenizer")
    elif flavour_name in ("nemo2", "megatron-bridge"):
        tokenizer = top.data.get("tokenizer")
    named = ""
    if isinstance(tokenizer, Mapping):
        for key in ("type", "pretrained_model_name", "tokenizer_model", "tokenizer_type", "library", "_target_"):
            value = tokenizer.get(key)
            if isinstance(value, str) and value and "${" not in value:
                named = f" (tokenizer {key} {value!r})"
                break
    else:
        for key in ("tokenizer_model", "tokenizer_type"):
            found = k.find(key)
            if found and isinstance(found[0].data.get(key), str):
                named = f" (tokenizer {key} {found[0].data[key]!r})"
                break
    return no_vocabulary(named)


def _moe(k: _Keys, d_ff: int, n_layer: int) -> dict[str, Any]:
    n_expert = k.integer("num_moe_experts", field="n_expert", minimum=1)
    if not n_expert:
        return {}
    top_k = k.integer("moe_router_topk", default=2, field="n_expert_per_token", minimum=1)
    if top_k > n_expert:
        k.fail(("moe_router_topk",), f"moe_router_topk ({top_k}) exceeds num_moe_experts ({n_expert})")
    return {
        "n_expert": n_expert,
        "n_expert_per_token": top_k,
        "d_ff_expert": k.integer("moe_ffn_hidden_size", default=d_ff, field="d_ff_expert", minimum=1),
        "d_ff_shared": k.integer("moe_shared_expert_intermediate_size", default=0, field="d_ff_shared"),
        "shared_expert_gate": bool(k.boolean("moe_shared_expert_gate", default=False, field="shared_expert_gate")),
        "n_dense_layer": _dense_layers(k, n_layer),
    }


def _dense_layers(k: _Keys, n_layer: int) -> int:
    """Layers that keep the dense MLP: `moe_layer_freq` N puts experts in every Nth layer;
    a list gives 1 (experts) or 0 (dense) per layer."""
    found = k.find("moe_layer_freq")
    if found is None:
        return 0
    reader, key = found
    value = reader.data[key]
    reader.sources["n_dense_layer"] = reader.path(key)
    if isinstance(value, bool) or not isinstance(value, (int, list)):
        reader.fail(key, f"{key} must be an integer or a list of 0/1 per layer, got {value!r}")
    if isinstance(value, int):
        if value < 1:
            reader.fail(key, f"{key} must be at least 1, got {value}")
        return n_layer - sum(1 for layer in range(n_layer) if layer % value == 0)
    if len(value) != n_layer or any(v not in (0, 1) or isinstance(v, bool) for v in value):
        reader.fail(key, f"{key} must list 0 or 1 for each of the {n_layer} layers")
    return value.count(0)


def _latent_attention(k: _Keys) -> dict[str, Any]:
    if not k.boolean("multi_latent_attention", default=False, field="kv_lora_rank"):
        return {}
    qk_head = k.integer("qk_head_dim", default=128, field="d_head", minimum=1)
    rope = k.integer("qk_pos_emb_head_dim", default=64, field="d_head_rope")
    return {
        "d_head": qk_head + rope,
        "d_head_rope": rope,
        "d_head_v": k.integer("v_head_dim", default=128, field="d_head_v", minimum=1),
        "q_lora_rank": k.integer("q_lora_rank", default=None, field="q_lora_rank") or None,
        "kv_lora_rank": k.integer("kv_lora_rank", default=512, field="kv_lora_rank", minimum=1),
    }


def _parallel(k: _Keys) -> Parallel:
    names = {
        "tensor": "tensor_model_parallel_size",
        "pipeline": "pipeline_model_parallel_size",
        "virtual_pipeline": "virtual_pipeline_model_parallel_size",
        "layers_per_virtual_stage": "num_layers_per_virtual_pipeline_stage",
        "context": "context_parallel_size",
        "expert": "expert_model_parallel_size",
        "sequence_parallel": "sequence_parallel",
        "seq_length": "encoder_seq_length" if k.has("encoder_seq_length") else "seq_length",
        "n_head": "num_attention_heads",
        "n_kv_head": "num_query_groups",
        "n_layer": "num_layers",
        "n_expert": "num_moe_experts",
        "d_model": "hidden_size",
        "d_head": "kv_channels",
    }
    sources: dict[str, Any] = {}

    def integer(field: str, default: int | None) -> int | None:
        key = names[field]
        value = k.integer(key, default=default, minimum=1)
        if k.has(key):
            sources[field] = k.path(key)
        return value

    sequence_parallel = bool(k.boolean("sequence_parallel", default=False))
    if k.has("sequence_parallel"):
        sources["sequence_parallel"] = k.path("sequence_parallel")
    return Parallel(
        tensor=integer("tensor", 1) or 1,
        pipeline=integer("pipeline", 1) or 1,
        virtual_pipeline=integer("virtual_pipeline", None),
        layers_per_virtual_stage=integer("layers_per_virtual_stage", None),
        context=integer("context", 1) or 1,
        expert=integer("expert", 1) or 1,
        sequence_parallel=sequence_parallel,
        seq_length=integer("seq_length", None),
        n_layer=integer("n_layer", 0) or 0,
        d_model=integer("d_model", 0) or 0,
        n_head=integer("n_head", 0) or 0,
        n_kv_head=integer("n_kv_head", None) or integer("n_head", 0) or 0,
        n_expert=integer("n_expert", None) or 0,
        d_head_given=k.has("kv_channels") or bool(k.boolean("multi_latent_attention", default=False)),
        names=names,
        sources=sources,
    )


DIALECT: Dialect = Dialect(
    name="megatron",
    description="Megatron family: NeMo 1/Launcher, NeMo 2 context dumps, Megatron-Bridge, Megatron-LM --yaml-cfg",
    recognise=recognise,
    read=read,
    hints=("num_layers", "hidden_size", "num_attention_heads", "tensor_model_parallel_size", "ffn_hidden_size"),
    declarations_in_file=False,
)
