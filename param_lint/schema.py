"""Schema: Document -> PL101 findings, each at its key's line and column, in plain words.

The schemas are package data (`schemas/*.json`, Draft 2020-12). Validity is decided by
code generated from them (`schemas/fast_*.py`, by fastjsonschema: tools/make_validators.py);
only an invalid file is validated again by jsonschema, whose errors say what is wrong and
where. So a clean run never imports jsonschema. Its validator is built once per process.
"""

from __future__ import annotations

import json
import os
from functools import cache, lru_cache
from importlib import import_module
from typing import Any

from .document import Document, Path
from .findings import Finding

NATIVE_SCHEMA = "model-config.schema.json"

# Names users bring from Hugging Face configs and papers, for "did you mean".
SYNONYMS = {
    "vocab_size": "n_vocab",
    "n_vocabulary": "n_vocab",
    "hidden_size": "d_model",
    "n_embd": "d_model",
    "d_embd": "d_model",
    "num_hidden_layers": "n_layer",
    "n_layers": "n_layer",
    "num_layers": "n_layer",
    "num_attention_heads": "n_head",
    "n_heads": "n_head",
    "num_heads": "n_head",
    "num_key_value_heads": "n_kv_head",
    "n_kv_heads": "n_kv_head",
    "head_dim": "d_head",
    "d_kv": "d_head",
    "intermediate_size": "d_ff",
    "n_inner": "d_ff",
    "ffn_dim": "d_ff",
    "max_position_embeddings": "n_context",
    "n_positions": "n_context",
    "n_ctx": "n_context",
    "context_length": "n_context",
    "tie_word_embeddings": "tie_embeddings",
}


def schema_json(name: str) -> dict[str, Any]:
    """A schema shipped with param-lint, by file name.

    Read from beside this module when it is there (every pip install), which spares the
    clean path importing importlib.resources (several ms of start-up); else through it.
    """
    beside = os.path.join(os.path.dirname(__file__), "schemas", name)
    if os.path.isfile(beside):
        with open(beside, encoding="utf-8") as stream:
            return json.loads(stream.read())
    from importlib.resources import files

    return json.loads(files("param_lint.schemas").joinpath(name).read_text(encoding="utf-8"))


@cache
def validator(name: str) -> Any:
    """The cached Draft 2020-12 validator for one schema.

    All shipped schemas are registered by their `$id`, so they can refer to each other
    and nothing is ever fetched from the network.
    """
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    from .dialects import DIALECTS

    shipped = dict.fromkeys(d.schema for d in DIALECTS if d.schema is not None)
    schemas = [schema_json(name) for name in shipped]
    registry = Registry().with_resources((s["$id"], DRAFT202012.create_resource(s)) for s in schemas)
    schema = schema_json(name)
    return Draft202012Validator(schema, registry=registry)


def fast_module(schema_name: str) -> str:
    """The generated module of a schema: model-config.schema.json -> fast_model_config."""
    return "fast_" + schema_name.removesuffix(".schema.json").replace("-", "_")


@cache
def _fast_validator(name: str) -> Any:
    """The generated check, or None for a schema without one, or with one generated from an
    older version of the schema file (jsonschema then decides)."""
    import zlib

    try:
        module = import_module(f"{__package__}.schemas.{fast_module(name)}")
        with open(os.path.join(os.path.dirname(__file__), "schemas", name), "rb") as stream:
            current = zlib.crc32(stream.read())
    except (ImportError, OSError):
        return None
    return module.validate if getattr(module, "SCHEMA_CRC32", None) == current else None


def is_valid(data: Any, schema_name: str) -> bool:
    """Whether `data` matches the schema, decided by the generated code (no messages)."""
    fast = _fast_validator(schema_name)
    if fast is None:
        return False
    try:
        fast(data)
    except Exception:  # invalid, or something the generated code did not expect: jsonschema decides
        return False
    return True


def check(
    document: Document, schema_name: str, keys: frozenset[str] | None = None, nullable: frozenset[str] = frozenset()
) -> list[Finding]:
    """Every schema violation of `document`, at the key it is about (only under `keys`, if given;
    a null at a top-level key in `nullable` is none)."""
    if is_valid(document.data, schema_name):
        return []
    errors = list(validator(schema_name).iter_errors(document.data))
    if keys is not None:
        errors = [e for e in errors if e.absolute_path and e.absolute_path[0] in keys]
    if nullable:
        errors = [
            e
            for e in errors
            if not (e.instance is None and len(e.absolute_path) == 1 and e.absolute_path[0] in nullable)
        ]
    # A value of the wrong type also breaks its range checks: say only the first thing.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    findings: set[Finding] = set()
    for error in errors:
        if error.validator == "type" or tuple(error.absolute_path) not in mistyped:
            findings.update(_findings(document, error))
    return sorted(findings)


def _findings(document: Document, error: Any) -> list[Finding]:
    path: Path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        where = _where(path)
        return [
            _at(document, (*path, key), f"unknown key {key!r} {where}{did_you_mean(key, allowed)}")
            for key in error.instance
            if key not in allowed
        ]
    if "propertyNames" in error.schema_path:
        # The instance is the offending key itself; its mapping is at `path`.
        name, allowed = error.instance, error.validator_value
        known = ", ".join(allowed)
        return [
            _at(
                document,
                (*path, name),
                f"unknown name {name!r} {_where(path)}{did_you_mean(name, allowed)}; known: {known}",
            )
        ]
    if kind == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        return [_at(document, path, f"missing key {key!r} {_where(path)}{_required_hint(key)}") for key in missing]
    hint = did_you_mean(error.instance, error.validator_value) if kind == "enum" else ""
    return [_at(document, path, f"{_name(path)} {_requirement(error)}, got {_shown(error.instance)}{hint}")]


def _at(document: Document, path: Path, message: str) -> Finding:
    mark = document.mark(path)
    return Finding(document.path, mark.line, mark.column, "PL101", message)


def _requirement(error: Any) -> str:
    """What the schema wanted, as the end of a sentence that begins with the key's name."""
    kind, wanted, schema = error.validator, error.validator_value, error.schema
    if kind == "type":
        types = wanted if isinstance(wanted, list) else [wanted]
        return "must be " + " or ".join(_TYPE_WORDS.get(str(t), str(t)) for t in types)
    if kind == "enum":
        return "must be one of " + ", ".join(str(v) for v in wanted)
    if kind == "minimum":
        return f"must be at least {wanted:,}"
    if kind == "maximum":
        return f"must be at most {wanted:,}"
    if kind in ("minItems", "maxItems"):
        return f"must have {'at least' if kind == 'minItems' else 'at most'} {wanted} items"
    if kind in ("minLength", "maxLength"):
        return f"must be {'at least' if kind == 'minLength' else 'at most'} {wanted} characters long"
    description = schema.get("description")
    if description:
        return f"must be {description}"
    return f"is not valid ({error.message})"


_TYPE_WORDS = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if len(text) <= 30 else f"a {len(text)}-digit number"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "...'"


def _name(path: Path) -> str:
    if not path:
        return "the file's top level"
    return ".".join(str(item) for item in path)


def _where(path: Path) -> str:
    return f"in {_name(path)}" if path else "at the top level"


def _required_hint(key: str) -> str:
    if key == "model":
        return " (the hyperparameters: n_vocab, n_layer, d_model, n_head, ...)"
    return ""


def did_you_mean(word: Any, choices: list[Any]) -> str:
    """'; did you mean 'n_layer'?' for a near miss or a known synonym, else ''.

    A suggestion for a word with characters outside ASCII names them, since a look-alike
    (Cyrillic 'а' for 'a') prints the same as the suggestion.
    """
    if not isinstance(word, str):
        return ""
    return _did_you_mean(word, tuple(c for c in choices if isinstance(c, str)))


@lru_cache(maxsize=4096)  # the same unknown keys recur across a repository's configs
def _did_you_mean(word: str, strings: tuple[str, ...]) -> str:
    synonym = SYNONYMS.get(word)
    if synonym in strings:
        return f"; did you mean {synonym!r}?"
    from difflib import get_close_matches

    close = get_close_matches(word, strings, n=1, cutoff=0.75)
    if not close:
        return ""
    if word.isascii():
        return f"; did you mean {close[0]!r}?"
    return f"; did you mean {close[0]!r}? It is written with characters outside ASCII: {word!r} ({_code_points(word)})"


def _code_points(word: str) -> str:
    """'U+0430 at 4' for each character outside ASCII, at its 1-based place."""
    return ", ".join(f"U+{ord(c):04X} at {i}" for i, c in enumerate(word, start=1) if not c.isascii())


@cache
def _native_top_level_keys() -> list[str]:
    """Read once per run: re-reading the schema for every file cost more than validating it."""
    return list(schema_json(NATIVE_SCHEMA)["properties"])


def near_miss_top_level_keys(document: Document) -> list[Finding]:
    """Top-level keys of a native config that look like typos of known ones.

    Training configs carry many other top-level keys (optimizer, data...), so unknown
    keys are allowed there, except near misses such as `expected_param`.
    """
    known = _native_top_level_keys()
    findings = []
    for key in document.data:
        if key not in known and isinstance(key, str):
            hint = did_you_mean(key, known)
            if hint:
                findings.append(_at(document, (key,), f"unknown key {key!r} at the top level{hint}"))
    return findings
