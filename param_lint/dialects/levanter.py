"""levanter: training YAML whose `model:` block has a `type:` (llama, mistral, mixtral, gemma, gpt2).

Levanter's model configs mirror transformers' (each converts to one with `to_hf_config`),
so the block is renamed onto the Hugging Face family and counted by its adapter, with
levanter's own defaults for what the file leaves out (they differ from transformers':
levanter's LlamaConfig has 32 key/value heads, its GemmaConfig is Gemma-2B's, and the
head width is always hidden_dim // num_heads). The vocabulary is not in the file: levanter
takes `len(tokenizer)` of `data.tokenizer`, so the count needs `n_vocab` declared (a
`# param-lint:` directive or pyproject), or a local tokenizer.json the file points to.
`trainer.model_axis_size` > 1 pads it to a multiple, as levanter shards the vocabulary.
`use_bias` puts biases on every projection and norm; a Llama-family block with it (or
without norm weights) has no transformers equivalent and is not counted.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from ..parallel import VocabPadding
from . import CannotCount, Dialect, Facts, ModelConfig, Reader
from .mirror import hf_architecture

# levanter's <Type>Config defaults for the keys that decide a count.
LLAMA = {
    "seq_len": 2048,
    "hidden_dim": 4096,
    "intermediate_dim": 11008,
    "num_layers": 32,
    "num_heads": 32,
    "num_kv_heads": 32,
    "tie_word_embeddings": False,
}
MISTRAL = {**LLAMA, "seq_len": 8192, "intermediate_dim": 14336, "num_kv_heads": 8}
MIXTRAL = {**MISTRAL, "num_local_experts": 8, "num_experts_per_tok": 2}
GEMMA = {
    "seq_len": 8192,
    "hidden_dim": 2048,
    "intermediate_dim": 16384,
    "num_layers": 18,
    "num_heads": 8,
    "num_kv_heads": 1,
}
GPT2 = {"seq_len": 512, "hidden_dim": 768, "num_layers": 12, "num_heads": 12, "mlp_scale": 4}
# levanter type -> (transformers model_type, defaults)
TYPES: dict[str, tuple[str, dict[str, Any]]] = {
    "llama": ("llama", LLAMA),
    "mistral": ("mistral", MISTRAL),
    "mixtral": ("mixtral", MIXTRAL),
    "gemma": ("gemma", GEMMA),
    "gpt2": ("gpt2", GPT2),
}
# levanter key -> transformers key, for the Llama-like types
LLAMA_KEYS = {
    "hidden_size": "hidden_dim",
    "intermediate_size": "intermediate_dim",
    "num_hidden_layers": "num_layers",
    "num_attention_heads": "num_heads",
    "num_key_value_heads": "num_kv_heads",
    "max_position_embeddings": "seq_len",
    "tie_word_embeddings": "tie_word_embeddings",
    "num_local_experts": "num_local_experts",
    "num_experts_per_tok": "num_experts_per_tok",
}
GPT2_KEYS = {
    "n_embd": "hidden_dim",
    "n_layer": "num_layers",
    "n_head": "num_heads",
    "n_positions": "seq_len",
    "n_inner": "mlp_scale",
}
TOKENIZER_LIMIT = 64 << 20  # bytes of tokenizer.json read; real ones are a few MB


def recognise(data: dict[str, Any]) -> bool:
    model = data.get("model")
    return isinstance(model, Mapping) and isinstance(model.get("type"), str) and "name" not in model


def read(top: Reader, facts: Facts) -> ModelConfig:
    r = top.mapping("model")
    kind = r.string("type")
    if kind not in TYPES:
        raise CannotCount(
            r.path("type"), f"levanter model type {kind!r} is not counted; param-lint counts {', '.join(TYPES)}"
        )
    model_type, defaults = TYPES[kind]
    values = {key: r.data[key] if r.has(key) else default for key, default in defaults.items()}
    hidden, heads = values["hidden_dim"], values["num_heads"]
    if kind == "gpt2":
        mapped = {hf: values[own] for hf, own in GPT2_KEYS.items() if hf != "n_inner"}
        mapped["n_inner"] = (
            values["mlp_scale"] * hidden if isinstance(values["mlp_scale"], int) else values["mlp_scale"]
        )
        keys = GPT2_KEYS
        if not r.boolean("use_bias", True):
            raise CannotCount(r.path("use_bias"), "a GPT-2 block without biases is not counted")
    else:
        for key in ("use_bias",):
            if r.boolean(key, False):
                raise CannotCount(
                    r.path(key), f"{key}: true adds biases to the RMS norms, which param-lint does not count"
                )
        if not r.boolean("use_layer_norm_weight", True):
            raise CannotCount(r.path("use_layer_norm_weight"), "norms without weights are not counted for this type")
        mapped = {hf: values[own] for hf, own in LLAMA_KEYS.items() if own in values}
        if isinstance(hidden, int) and isinstance(heads, int) and heads and kind == "gemma":
            mapped["head_dim"] = hidden // heads  # levanter's HeadSize, not Gemma's 256
        keys = LLAMA_KEYS
    padding = vocabulary(top, facts)
    mapped["vocab_size"] = padding.padded
    arch = hf_architecture(r, model_type, mapped, keys)
    notes = (padding.describe(),) if padding.rows else ()
    return ModelConfig("levanter", arch, top.sources, family=kind, vocab_padding=padding, notes=notes)


def vocabulary(top: Reader, facts: Facts) -> VocabPadding:
    """len(tokenizer): declared n_vocab, or a local tokenizer.json; padded to the model axis."""
    section = top.data.get("data")  # an unresolved `!include` leaves a file name here
    data = Reader(section if isinstance(section, Mapping) else {}, top.path("data"), top.sources)
    tokenizer = data.data.get("tokenizer")
    size = facts.n_vocab if facts.n_vocab is not None else local_tokenizer_size(tokenizer, facts.path)
    if size is None:
        if isinstance(tokenizer, str):
            named = f"names the tokenizer {tokenizer!r}"
        elif isinstance(section, str):
            named = f"includes its data section from {section!r}, which cannot be read"
        else:
            named = "names no tokenizer: levanter's default is 'gpt2'"
        raise CannotCount(
            data.path("tokenizer") if isinstance(tokenizer, str) else top.path("model"),
            f"the vocabulary size is not in the file (it {named}): declare n_vocab in a "
            "`# param-lint: n_vocab=N` directive or in pyproject",
        )
    if facts.n_vocab is None:
        top.sources["n_vocab"] = data.path("tokenizer")
    trainer = top.mapping("trainer")
    if trainer.has("model_axis_size"):
        multiple = trainer.integer("model_axis_size", minimum=1)
        rule = f"trainer.model_axis_size {multiple}"
    else:
        multiple = facts.tensor_parallel or 1
        rule = f"tensor_parallel {multiple}"
    return VocabPadding(size, multiple, 1, multiple, rule)


def local_tokenizer_size(name: Any, config_path: str | None) -> int | None:
    """len(tokenizer) of a tokenizer.json (or a folder holding one) beside the config, if any."""
    if not isinstance(name, str) or not config_path:
        return None
    path = os.path.join(os.path.dirname(os.path.abspath(config_path)), name)
    if os.path.isdir(path):
        path = os.path.join(path, "tokenizer.json")
    if not os.path.isfile(path) or os.path.getsize(path) > TOKENIZER_LIMIT:
        return None
    try:
        with open(path, encoding="utf-8") as stream:
            data = json.load(stream)
    except (OSError, ValueError):
        return None
    return tokenizer_size(data)


def tokenizer_size(data: Any) -> int | None:
    """Token ids of a tokenizers JSON: the model's vocabulary and the added tokens."""
    if not isinstance(data, Mapping) or not isinstance(data.get("model"), Mapping):
        return None
    vocab = data["model"].get("vocab")
    if isinstance(vocab, Mapping):
        ids = {value for value in vocab.values() if isinstance(value, int)}
    elif isinstance(vocab, list):  # Unigram: [piece, score] pairs, ids by position
        ids = set(range(len(vocab)))
    else:
        return None
    for token in data.get("added_tokens") or ():
        if isinstance(token, Mapping) and isinstance(token.get("id"), int):
            ids.add(token["id"])
    return len(ids) or None


DIALECT: Dialect = Dialect(
    name="levanter",
    description="levanter training YAML: model.type llama, mistral, mixtral, gemma or gpt2",
    recognise=recognise,
    read=read,
    hints=("hidden_dim", "intermediate_dim", "num_kv_heads"),
    declarations_in_file=False,
)
