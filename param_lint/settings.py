"""Settings: what a run is told by the command line and `[tool.param-lint]` in pyproject.toml."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fnmatch import fnmatch

from .quantities import Tolerance, parse_count

DEFAULT_INCLUDE = ("*.yaml", "*.yml", "*.json")
DEFAULT_MAX_FILE_SIZE = 1 << 20  # the loader's own default (load.DEFAULT_MAX_BYTES); a test keeps them equal
LARGEST_MAX_FILE_SIZE = 1 << 30  # the loader reads a file whole: a larger limit only invites MemoryError


@dataclass(frozen=True)
class PathSettings:
    """Declarations for files users do not edit: `[tool.param-lint.files."glob"]`.

    Besides the expected counts, the facts a format may lack: `n_vocab` for a file that
    names a tokenizer instead of a vocabulary size, `tensor_parallel` for a format that pads
    the vocabulary by the tensor-parallel size the file does not set.
    """

    pattern: str
    expected_params: int | None = None
    expected_active_params: int | None = None
    tolerance: Tolerance | None = None
    n_vocab: int | None = None
    tensor_parallel: int | None = None
    source: str = ""  # the pyproject.toml this entry came from (--fix writes counts back there)


@dataclass(frozen=True)
class Settings:
    """Everything a run is told by the command line and `[tool.param-lint]`."""

    tolerance: Tolerance | None = None  # overridden by a file's own `tolerance`
    select: tuple[str, ...] = ()  # codes or prefixes; empty = the default set
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    files: tuple[PathSettings, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    include: tuple[str, ...] = DEFAULT_INCLUDE  # what a directory search picks up
    exclude: tuple[str, ...] = ()  # globs of paths (files or directories) to skip
    skip_non_configs: bool = False  # pass over parsed files with neither `model` nor `model_type`

    def enabled(self, code: str, path: str = "", by_default: bool = True) -> bool:
        """ruff's semantics: `select` chooses (by prefix), `ignore` and per-file-ignores remove.

        `by_default` is the rule's own default (PL202 is off unless selected); the caller, which
        has the rules, says it: settings know codes, not rules.
        """
        chosen = any(code.startswith(p) for p in self.select) if self.select else by_default
        if not chosen or any(code.startswith(p) for p in self.ignore):
            return False
        return not any(
            _matches(path, pattern) and any(code.startswith(p) for p in codes)
            for pattern, codes in self.per_file_ignores
        )

    def for_path(self, path: str) -> PathSettings | None:
        """The last `[tool.param-lint.files]` entry whose glob matches `path`."""
        found = None
        for entry in self.files:
            if _matches(path, entry.pattern):
                found = entry
        return found


def _matches(path: str, pattern: str) -> bool:
    normalized = path.replace("\\", "/").removeprefix("./")
    return (
        fnmatch(normalized, pattern)
        or fnmatch(normalized, "*/" + pattern)
        or fnmatch(normalized.rsplit("/", 1)[-1], pattern)
    )


class SettingsError(ValueError):
    """An invalid setting; the message names the key. The CLI exits 2 with it."""


def find_pyproject(start: str, seen: dict[str, bool] | None = None) -> str | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.param-lint] table.

    A pyproject.toml that merely mentions param-lint (a dependency, a comment) is passed over;
    one that cannot be read as TOML but mentions it is returned, so that its error is reported.
    `seen` remembers, for a run, which pyproject.toml files have settings (each is read once).
    """
    import os

    seen = {} if seen is None else seen
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if candidate not in seen:
            seen[candidate] = os.path.isfile(candidate) and _has_settings(candidate)
        if seen[candidate]:
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_settings(path: str) -> bool:
    text = _read_text(path)
    if "param-lint" not in text:
        return False
    try:
        document = _toml().loads(text)
    except ValueError:  # TOMLDecodeError
        return True
    tool = document.get("tool", {})
    return not isinstance(tool, dict) or "param-lint" in tool  # a malformed `tool` is reported, not skipped


def _toml():  # type: ignore[no-untyped-def]
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef, import-not-found, unused-ignore]
    return tomllib


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as stream:
            return stream.read()
    except (OSError, UnicodeDecodeError):
        return ""


def read_pyproject(path: str) -> dict:
    """The [tool.param-lint] table of the pyproject.toml at `path` (empty when absent)."""
    tomllib = _toml()
    try:
        with open(path, "rb") as stream:
            document = tomllib.load(stream)
    except OSError as error:
        raise SettingsError(f"{path}: cannot read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: invalid TOML: {error}") from None
    tool = document.get("tool", {})
    if not isinstance(tool, dict):
        raise SettingsError(f"{path}: `tool` must be a table ([tool.param-lint]), not {type(tool).__name__}")
    table = tool.get("param-lint", {})
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [tool.param-lint] must be a table")
    return table


KNOWN_KEYS = (
    "tolerance",
    "select",
    "ignore",
    "per-file-ignores",
    "include",
    "exclude",
    "max-file-size",
    "files",
    "skip-non-configs",
)


def max_file_size(value: object) -> int:
    """A file size limit, refusing ones the loader cannot honour (`1T` would ask for a terabyte buffer)."""
    size = parse_count(value)
    if size > LARGEST_MAX_FILE_SIZE:
        raise SettingsError(f"at most {LARGEST_MAX_FILE_SIZE:,} bytes (1 GiB), got {value!r}")
    return size


def from_table(
    table: dict, origin: str = "[tool.param-lint]", source: str = "", known_codes: Iterable[str] = ()
) -> dict:
    """Validated keyword arguments for Settings from a [tool.param-lint] table.

    `source` is the pyproject.toml it came from: `--fix` writes counts declared per path back there.
    `known_codes`: the rule codes that `select`, `ignore` and per-file-ignores may name (the
    caller has the rules; settings do not import them).
    """
    from .quantities import QuantityError, parse_tolerance

    known = tuple(known_codes)

    options: dict = {}
    for key, value in table.items():
        where = f"{origin} {key}"
        if key not in KNOWN_KEYS:
            from .schema import did_you_mean

            raise SettingsError(
                f"{where}: unknown setting{did_you_mean(key, list(KNOWN_KEYS))}; known: {', '.join(KNOWN_KEYS)}"
            )
        try:
            if key == "tolerance":
                options["tolerance"] = parse_tolerance(value)
            elif key in ("select", "ignore"):
                options[key] = codes(value, where, known)
            elif key in ("include", "exclude"):
                options[key] = strings(value, where)
            elif key == "skip-non-configs":
                if not isinstance(value, bool):
                    raise SettingsError(f"{where}: expected true or false")
                options["skip_non_configs"] = value
            elif key == "max-file-size":
                options["max_file_size"] = max_file_size(value)
            elif key == "per-file-ignores":
                if not isinstance(value, dict):
                    raise SettingsError(f"{where}: expected a table of glob = [codes]")
                options["per_file_ignores"] = tuple(
                    (glob, codes(v, f"{where}.{glob}", known)) for glob, v in value.items()
                )
            elif key == "files":
                options["files"] = path_settings(value, where, source)
        except (QuantityError, SettingsError) as error:
            message = str(error)
            raise SettingsError(message if message.startswith(where) else f"{where}: {message}") from None
    return options


def path_settings(value: object, where: str, source: str = "") -> tuple[PathSettings, ...]:
    """`[tool.param-lint.files."models/llama/*.json"]` tables of expected counts."""
    from .quantities import parse_count, parse_tolerance

    if not isinstance(value, dict):
        raise SettingsError(f"{where}: expected a table of glob = {{expected_params = ..., tolerance = ...}}")
    entries = []
    for glob, entry in value.items():
        if not isinstance(entry, dict):
            raise SettingsError(f"{where}.{glob}: expected a table with expected_params and/or tolerance")
        unknown = set(entry) - set(PATH_KEYS)
        if unknown:
            raise SettingsError(f"{where}.{glob}: unknown key {sorted(unknown)[0]!r}; known: {', '.join(PATH_KEYS)}")
        for key in ("n_vocab", "tensor_parallel"):
            value = entry.get(key)
            if key in entry and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise SettingsError(f"{where}.{glob}.{key}: expected a positive integer")
        entries.append(
            PathSettings(
                glob,
                parse_count(entry["expected_params"]) if "expected_params" in entry else None,
                parse_count(entry["expected_active_params"]) if "expected_active_params" in entry else None,
                parse_tolerance(entry["tolerance"]) if "tolerance" in entry else None,
                entry.get("n_vocab"),
                entry.get("tensor_parallel"),
                source,
            )
        )
    return tuple(entries)


PATH_KEYS = ("expected_params", "expected_active_params", "tolerance", "n_vocab", "tensor_parallel")


def codes(value: object, where: str, rules: Iterable[str]) -> tuple[str, ...]:
    """Rule codes or prefixes (`PL3`), from a list or a comma-separated string."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(item, str) for item in items):
        raise SettingsError(f'{where}: expected a list of rule codes such as ["PL303"]')
    result = tuple(item.strip().upper() for item in items if item.strip())
    for code in result:
        if not code.startswith("PL") or not any(known.startswith(code) for known in rules):
            raise SettingsError(f"{where}: unknown rule code {code!r}; see `param-lint rules`")
    return result


def strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SettingsError(f"{where}: expected a list of glob patterns")
    return tuple(value)
