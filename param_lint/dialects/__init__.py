"""Dialects: a Document -> ModelConfig, one adapter per config family.

The native format (`model:` mapping) and each Hugging Face `model_type` map onto the same
`Architecture`, so counting, rules and diagnosis never know where a config came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

from ..architecture import Architecture
from ..document import Document, Path
from ..findings import Finding
from ..parallel import Parallel, VocabPadding
from ..quantities import QuantityError, Tolerance, parse_count, parse_tolerance


class ConfigError(Exception):
    """A value the adapter cannot use; becomes PL101 at `path`."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path, self.message = path, message


@dataclass(frozen=True)
class ModelConfig:
    """What a config says: the architecture, and what the user declared about it."""

    dialect: str  # "native" or the Hugging Face model_type
    architecture: Architecture
    sources: Mapping[str, Path] = field(default_factory=dict)  # Architecture field -> key that set it
    expected_params: int | None = None
    expected_active_params: int | None = None
    tolerance: Tolerance | None = None
    weights: Mapping[str, Any] = field(default_factory=dict)  # declared shapes, as written
    weight_layout: str = "in_out"
    name: str = ""  # for messages: the file's `name` (or a Hugging Face `_name_or_path`)
    parallel: Parallel | None = None  # parallel sizes a training framework's file sets (PL4xx)
    vocab_padding: VocabPadding | None = None  # how the framework rounded the vocabulary up
    notes: tuple[str, ...] = ()  # lines `--breakdown` prints under the model (padding, FFN rule)

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


def read(document: Document) -> tuple[ModelConfig | None, list[Finding]]:
    """The ModelConfig a document describes, or the PL101 findings that prevent it."""
    from . import native

    data = document.data
    try:
        if is_huggingface(data):
            from . import hf

            config = hf.read(Reader(data))
        else:
            config = native.read(Reader(data))
        return config, []
    except ConfigError as error:
        mark = document.mark(error.path)
        return None, [Finding(document.path, mark.line, mark.column, "PL101", error.message)]


def is_huggingface(data: Any) -> bool:
    """A Hugging Face config has `model_type` at the top level and no `model` mapping."""
    return isinstance(data, dict) and "model_type" in data and "model" not in data


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
