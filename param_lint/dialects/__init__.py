"""Dialects: each config format param-lint reads, recognised by its signature.

A dialect is one module that declares what identifies its files (`recognise`), the schema
they are validated against, the reader that turns them into a `ModelConfig` (the same
`Architecture` for every format, so counting, rules and diagnosis never know where a config
came from) and where `--fix` may write declarations. `DIALECTS` lists them in order of
precedence; the pipeline, the schema choice, the rules and `--fix` ask it, and nothing else
tests which format a file is. Adding a format is one module and one line in `DIALECTS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

from ..architecture import Architecture
from ..document import Document, Path
from ..findings import Finding
from ..parallel import Parallel, VocabPadding
from ..parts import Part
from ..quantities import QuantityError, Tolerance, parse_count, parse_tolerance


class ConfigError(Exception):
    """A value the adapter cannot use; becomes PL101 at `path`."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


class CannotCount(Exception):
    """A recognised config whose model cannot be counted; becomes PL102 at `path`.

    An unsupported model type, remote code, a tokenizer named instead of a vocabulary size:
    the message says what is missing, so the user can supply it (a declaration) or knows why.
    """

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


@dataclass(frozen=True)
class Facts:
    """What a reader may need from outside the file (a `# param-lint:` directive, pyproject).

    `path` locates sibling files (includes, tokenizers); `n_vocab` stands in for a vocabulary
    the file only names by tokenizer; `tensor_parallel` is the size some formats pad the
    vocabulary by when the file does not set it.
    """

    path: str = ""
    n_vocab: int | None = None
    tensor_parallel: int | None = None


@dataclass(frozen=True)
class ModelConfig:
    """What a config says: the architecture, and what the user declared about it."""

    dialect: str  # the Dialect's name: "native", "huggingface", ...
    architecture: Architecture
    sources: Mapping[str, Path] = field(default_factory=dict)  # Architecture field -> key that set it
    expected_params: int | None = None
    expected_active_params: int | None = None
    tolerance: Tolerance | None = None
    weights: Mapping[str, Any] = field(default_factory=dict)  # declared shapes, as written
    weight_layout: str = "in_out"
    name: str = ""  # for messages: the file's `name` (or a Hugging Face `_name_or_path`)
    family: str = ""  # the model type within the dialect (a Hugging Face model_type)
    parallel: Parallel | None = None  # parallel sizes a training framework's file sets (PL4xx)
    vocab_padding: VocabPadding | None = None  # how the framework rounded the vocabulary up
    notes: tuple[str, ...] = ()  # lines `--breakdown` prints under the model (padding, FFN rule)
    parts: tuple[Part, ...] = ()  # a composite model's towers and projectors (architecture: its text model)

    def source(self, *fields: str) -> Path:
        """The key that set the first of `fields` the file names (the top level if none)."""
        for name in fields:
            if name in self.sources:
                return self.sources[name]
        return ()


_MISSING: Any = object()


class Reader:
    """Typed access to one mapping of a Document, recording which key set which field.

    `reader.integer("hidden_size", field="d_model")` returns the value and remembers that
    d_model came from `hidden_size`, so findings about d_model point at that key.
    """

    def __init__(self, data: Mapping[str, Any], base: Path = (), sources: dict[str, Path] | None = None) -> None:
        self.data = data
        self.base = base
        self.sources: dict[str, Path] = {} if sources is None else sources

    def path(self, key: str) -> Path:
        return (*self.base, key)

    def has(self, key: str) -> bool:
        """Whether `key` is given (a null value counts as absent, as in transformers)."""
        return self.data.get(key) is not None

    def fail(self, key: str, message: str) -> NoReturn:
        raise ConfigError(self.path(key), message)

    def _value(self, key: str, default: Any, field: str | None) -> Any:
        value = self.data.get(key)
        if value is None:
            if default is _MISSING:
                self.fail(key, f"missing key {key!r}")
            return default
        if field is not None:
            self.sources[field] = self.path(key)
        return value

    def integer(self, key: str, default: Any = _MISSING, field: str | None = None, minimum: int = 0) -> Any:
        value = self._value(key, default, field)
        if value is default:
            return value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"{key} must be an integer, got {value!r}")
        if value < minimum or value > 2**31:
            self.fail(key, f"{key} must be between {minimum} and {2**31:,}, got {value}")
        return value

    def boolean(self, key: str, default: Any = _MISSING, field: str | None = None) -> Any:
        value = self._value(key, default, field)
        if not isinstance(value, bool):
            self.fail(key, f"{key} must be true or false, got {value!r}")
        return value

    def string(self, key: str, default: Any = _MISSING, field: str | None = None, choices: tuple[str, ...] = ()) -> Any:
        value = self._value(key, default, field)
        if not isinstance(value, str):
            self.fail(key, f"{key} must be a string, got {value!r}")
        if choices and value not in choices:
            self.fail(key, f"{key} must be one of {', '.join(choices)}; got {value!r}")
        return value

    def number(self, key: str, default: Any = _MISSING, field: str | None = None) -> Any:
        value = self._value(key, default, field)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"{key} must be a number, got {value!r}")
        return value

    def sequence(self, key: str, default: Any = _MISSING, field: str | None = None) -> Any:
        value = self._value(key, default, field)
        if not isinstance(value, list):
            self.fail(key, f"{key} must be a list, got {value!r}")
        return value

    def mapping(self, key: str) -> Reader:
        """The nested mapping at `key` (empty when absent), sharing this reader's sources."""
        value = self.data.get(key)
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            self.fail(key, f"{key} must be a mapping, got {value!r}")
        return Reader(value, self.path(key), self.sources)

    def note(self, field: str, key: str) -> None:
        """Record that `field` follows from `key` (when the value was derived from it)."""
        if self.has(key):
            self.sources.setdefault(field, self.path(key))


@dataclass(frozen=True)
class Dialect:
    """One config format: how to recognise it, check it, read it, and where to declare counts."""

    name: str  # shown in JSON (`dialect`) and messages
    description: str  # what its files look like, for "param-lint reads ..." messages and the README
    recognise: Callable[[dict[str, Any]], bool]  # a positive signature on the top-level mapping
    read: Callable[[Reader, Facts], ModelConfig]  # raises ConfigError (PL101) or CannotCount (PL102)
    schema: str | None = None  # a file in param_lint/schemas/, validated before `read`
    # False for a file whose layout the schema does not describe (a Hugging Face model_type
    # param-lint does not count, where `num_attention_heads` may be a list per stage): then
    # only param-lint's own keys (expected_params, tolerance ...) are held to the schema.
    schema_applies: Callable[[dict[str, Any]], bool] | None = None
    # Top-level keys whose null this file's model accepts though the schema types them (Nemotron-H's
    # num_hidden_layers): a null there is left to `read`, other values still held to the schema.
    schema_nullable: Callable[[dict[str, Any]], frozenset[str]] | None = None
    hints: tuple[str, ...] = ()  # keys that mark a file that failed to load as one of this format's
    declarations_in_file: bool = True  # False: the format rejects unknown keys (--fix writes elsewhere)
    extra_checks: Callable[[Document], list[Finding]] | None = None  # more PL101 checks after the schema


def recognise(data: Any) -> Dialect | None:
    """The first dialect whose signature `data` has, or None: not a config param-lint reads."""
    if not isinstance(data, dict):
        return None
    return next((dialect for dialect in DIALECTS if dialect.recognise(data)), None)


def dialect_named(name: str | None) -> Dialect | None:
    """The registered dialect called `name`."""
    return next((dialect for dialect in DIALECTS if dialect.name == name), None)


def looks_like_config(text: str) -> bool:
    """Whether a file that could not be loaded names keys only model configs have.

    Such a file is reported even under --skip-non-configs (its YAML is broken, but it is
    meant to be a model config); any other file that fails to load (a Helm template, JSON
    with comments, a huge lock file) is passed over.
    """
    return _hint_pattern().search(text) is not None


_HINTS: list[re.Pattern[str]] = []


def _hint_pattern() -> re.Pattern[str]:
    if not _HINTS:
        keys = sorted({re.escape(key) for dialect in DIALECTS for key in dialect.hints})
        key = "(?:" + "|".join(keys) + ")"
        _HINTS.append(re.compile(r"""^[ \t{,]*["']?""" + key + r"""["']?[ \t]*:""", re.MULTILINE))
    return _HINTS[0]


def read(document: Document, facts: Facts = Facts()) -> tuple[ModelConfig | None, list[Finding]]:
    """The ModelConfig a document describes, or the PL101/PL102 findings that prevent it."""
    dialect = recognise(document.data)
    if dialect is None:
        return None, [Finding(document.path, 1, 1, "PL100", not_a_config_message())]
    try:
        return dialect.read(Reader(document.data), facts), []
    except (ConfigError, CannotCount) as error:
        mark = document.mark(error.path)
        code = "PL102" if isinstance(error, CannotCount) else "PL101"
        return None, [Finding(document.path, mark.line, mark.column, code, error.message)]


def not_a_config_message() -> str:
    """What a file must look like for param-lint to read it."""
    formats = "; ".join(dialect.description for dialect in DIALECTS)
    return f"not a model config param-lint reads; it reads: {formats}"


def declarations(reader: Reader) -> dict[str, Any]:
    """The keys every dialect shares: expected counts, tolerance, declared weights."""
    declared: dict[str, Any] = {}
    for key in ("expected_params", "expected_active_params"):
        if reader.has(key):
            try:
                declared[key] = parse_count(reader.data[key])
            except QuantityError as error:
                reader.fail(key, f"{key}: {error}")
    if reader.has("tolerance"):
        try:
            declared["tolerance"] = parse_tolerance(reader.data["tolerance"])
        except QuantityError as error:
            reader.fail("tolerance", f"tolerance: {error}")
    weights = reader.data.get("weights")
    if isinstance(weights, Mapping):
        declared["weights"] = dict(weights)
    declared["weight_layout"] = reader.string("weight_layout", "in_out", choices=("in_out", "out_in"))
    for key in ("name", "_name_or_path"):
        if isinstance(reader.data.get(key), str):
            declared["name"] = reader.data[key]
            break
    return declared


# The registry, in order of precedence: a file is read by the first dialect that recognises it.
# Formats with the most specific signatures come first.
from . import (  # noqa: E402  (the modules import the classes above)
    huggingface,
    levanter,
    litgpt,
    llm_foundry,
    maxtext,
    megatron,
    nanotron,
    native,
    neox,
    olmo,
    olmo_core,
)

DIALECTS: list[Dialect] = [
    olmo.DIALECT,  # before native: OLMo's model block has native's d_model
    olmo_core.DIALECT,  # so does OLMo-core's
    native.DIALECT,
    huggingface.DIALECT,
    megatron.DIALECT,
    neox.DIALECT,
    litgpt.DIALECT,
    maxtext.DIALECT,
    llm_foundry.DIALECT,
    levanter.DIALECT,
    nanotron.DIALECT,
]
