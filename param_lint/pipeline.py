"""The pipeline for one file: load -> recognise -> schema -> dialect -> count -> rules -> findings.

Pure apart from reading the file: no printing, no exit codes (that is `cli.py`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache, partial

from . import directives
from .dialects import Facts, ModelConfig, looks_like_config, not_a_config_message, read, recognise
from .document import Document
from .findings import Finding, Mark
from .load import AMBIGUOUS_NUMBER, load_path_with_includes
from .parallel import launch_sizes
from .parts import count_model
from .quantities import DEFAULT_TOLERANCE, QuantityError, Tolerance, parse_count, parse_tolerance
from .results import FileResult
from .rules import RULES, enabled_by_default
from .rules.context import Context, Declared
from .settings import PathSettings, Settings

READABLE_SUFFIXES = (".yaml", ".yml", ".json")
OWN_KEYS = frozenset(directives.DECLARATION_KEYS)  # param-lint's keys in any format: always held to the schema


def lint_file(path: str, settings: Settings = Settings()) -> FileResult:
    """Every enabled finding for the file at `path`."""
    if not path.lower().endswith(READABLE_SUFFIXES) and os.path.isfile(path):
        return _unreadable_format(path, settings)
    loaded = load_path_with_includes(path, settings.max_file_size)  # levanter's `!include`, where a file has one
    return lint_document(path, loaded.document, loaded.findings, settings)


def _unreadable_format(path: str, settings: Settings) -> FileResult:
    """A `.toml`, `.py`, `.sh` ... named explicitly: say so, rather than a YAML syntax error."""
    if settings.skip_non_configs:
        return FileResult(path, skipped=True)
    message = "not a format param-lint reads: model configs are YAML (.yaml, .yml) or JSON (.json)"
    findings = (
        [Finding(path, 1, 1, "PL100", message)] if settings.enabled("PL100", path, enabled_by_default("PL100")) else []
    )
    return FileResult(path, findings)


def lint_document(
    path: str, document: Document | None, load_findings: list[Finding], settings: Settings = Settings()
) -> FileResult:
    if settings.skip_non_configs and not _judged(document, load_findings, path, settings):
        return FileResult(path, skipped=True)
    ctx = build_context(path, document, load_findings, settings)
    findings: list[Finding] = []
    for rule in _enabled_rules(settings, path):
        severity = rule.severity(ctx) if hasattr(rule, "severity") else rule.SEVERITY
        findings.extend(replace(f, severity=severity) for f in rule.check(ctx))
    findings = [f for f in findings if not ctx.directives.silences(f)]
    return FileResult(
        path,
        sorted(set(findings)),
        ctx.breakdown,
        ctx.config,
        ctx.expected_params.value if ctx.expected_params else None,
        ctx.expected_active_params.value if ctx.expected_active_params else None,
        dialect=ctx.dialect,
        family=ctx.config.family or None if ctx.config else None,
        declared={
            key: declared
            for key, declared in (
                ("expected_params", ctx.expected_params),
                ("expected_active_params", ctx.expected_active_params),
            )
            if declared is not None
        },
    )


def _judged(document: Document | None, load_findings: list[Finding], path: str, settings: Settings) -> bool:
    """Under --skip-non-configs: whether this file is a model config param-lint should judge.

    pre-commit hands the hook every YAML and JSON file: Kubernetes manifests, Helm templates,
    tsconfig.json with comments, lock files. A file that loads is judged when a dialect
    recognises it; one that does not load is judged only when its text names keys that
    only model configs have (a Llama config with a YAML typo is still reported).
    """
    if document is not None and not _blocking(load_findings):
        return recognise(document.data) is not None
    text = document.text if document is not None else _head(path, settings.max_file_size)
    return looks_like_config(text)


def _head(path: str, max_bytes: int) -> str:
    """The start of a file that could not be loaded, for looks_like_config."""
    try:
        with open(path, "rb") as stream:
            return stream.read(min(max_bytes, 1 << 16)).decode("utf-8", "replace")
    except OSError:
        return ""


def _enabled_rules(settings: Settings, path: str) -> tuple:
    """The rules enabled for `path`: the same for every file unless per-file-ignores apply,
    so decided once per run instead of once per rule and file."""
    if settings.per_file_ignores:
        return tuple(rule for code, rule in RULES.items() if settings.enabled(code, path, enabled_by_default(code)))
    try:
        return _enabled_everywhere(settings)
    except TypeError:  # settings that cannot be hashed: decide per file
        return tuple(rule for code, rule in RULES.items() if settings.enabled(code, "", enabled_by_default(code)))


@lru_cache(maxsize=16)
def _enabled_everywhere(settings: Settings) -> tuple:
    return tuple(rule for code, rule in RULES.items() if settings.enabled(code, "", enabled_by_default(code)))


def _blocking(load_findings: list[Finding]) -> bool:
    """Whether the loader found something that stops recognition and counting.

    A duplicate key does not (the last value counts, as in PyYAML), nor a number YAML 1.1
    and 1.2 read differently: it is read as PyYAML reads it, and reported where it matters.
    """
    return any(f.code != "PL002" and f.subject != AMBIGUOUS_NUMBER for f in load_findings)


def _ambiguous_numbers_that_set_the_model(
    load_findings: list[Finding], document: Document, config: ModelConfig
) -> list[Finding]:
    """Keep a YAML 1.1 number's finding only where the value sets the model (`n_layer: 010`);
    `save_every: 1:30` elsewhere in a training file is no business of a parameter count."""
    if not any(f.subject == AMBIGUOUS_NUMBER for f in load_findings):
        return load_findings
    setting = {document.value_mark(key) for key in config.sources.values()}
    return [f for f in load_findings if f.subject != AMBIGUOUS_NUMBER or Mark(f.line, f.column) in setting]


def build_context(path: str, document: Document | None, load_findings: list[Finding], settings: Settings) -> Context:
    """Run recognition, schema, dialect and count as far as the file allows."""
    from . import schema

    ctx = Context(path, document, list(load_findings))
    if document is None:
        return ctx
    ctx.directives = directives.parse(path, document.text, document.format, frozenset(RULES))
    if _blocking(load_findings):
        return ctx
    data = document.data
    dialect = recognise(data)
    if dialect is None:
        ctx.load_findings = [f for f in ctx.load_findings if f.subject != AMBIGUOUS_NUMBER]
        if isinstance(data, dict):
            message = not_a_config_message()
        else:
            what = "empty" if data is None else _KIND_WORDS.get(type(data), f"a {type(data).__name__}")
            message = f"the file is {what}; {not_a_config_message()}"
        ctx.unrecognised.append(ctx.finding("PL100", (), message))
        return ctx
    ctx.dialect = dialect.name
    if dialect.schema is not None:
        applies = dialect.schema_applies is None or dialect.schema_applies(data)
        nullable = dialect.schema_nullable(data) if dialect.schema_nullable is not None else frozenset()
        ctx.schema_findings = schema.check(document, dialect.schema, None if applies else OWN_KEYS, nullable)
    if dialect.extra_checks is not None:
        ctx.schema_findings += dialect.extra_checks(document)
    if ctx.schema_findings:
        return ctx
    per_path = settings.for_path(path)
    directive, directive_facts, directive_tolerance = _directive_declarations(ctx)
    if ctx.schema_findings:
        return ctx

    def fact(key: str) -> int | None:
        return directive_facts.get(key, getattr(per_path, key, None))

    facts = Facts(path, fact("n_vocab"), fact("tensor_parallel"))
    config, problems = read(document, facts)
    ctx.schema_findings += [f for f in problems if f.code == "PL101"]
    ctx.cannot_count += [f for f in problems if f.code == "PL102"]
    ctx.count_declared = bool(
        {"expected_params", "expected_active_params"}.intersection(data)
        or directive
        or (per_path and (per_path.expected_params is not None or per_path.expected_active_params is not None))
    )
    if config is None:
        if problems:  # the launch-time checks (PL4xx) need neither vocabulary nor every value
            ctx.parallel = launch_sizes(dialect, data, facts)
        return ctx
    ctx.config = config
    ctx.load_findings = _ambiguous_numbers_that_set_the_model(ctx.load_findings, document, config)
    ctx.breakdown = count_model(config.architecture, config.parts)
    ctx.tolerance = (
        config.tolerance
        or directive_tolerance
        or (per_path and per_path.tolerance)
        or settings.tolerance
        or DEFAULT_TOLERANCE
    )
    ctx.expected_params = _declared(config.expected_params, "expected_params", directive, per_path)
    ctx.expected_active_params = _declared(config.expected_active_params, "expected_active_params", directive, per_path)
    return ctx


_KIND_WORDS = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


def _declared(
    in_file: int | None, key: str, directive: dict[str, Declared], per_path: PathSettings | None
) -> Declared | None:
    """A declared count, from the file's key, else its directive, else pyproject."""
    if in_file is not None:
        return Declared(in_file, (key,))
    if key in directive:
        return directive[key]
    from_settings = getattr(per_path, key, None) if per_path else None
    if from_settings is None:
        return None
    return Declared(from_settings, (), source="pyproject", origin=per_path.source if per_path else "")


def _directive_declarations(ctx: Context) -> tuple[dict[str, Declared], dict[str, int], Tolerance | None]:
    """Counts, facts and tolerance a `# param-lint:` directive declares; a bad value is PL101."""
    counts: dict[str, Declared] = {}
    facts: dict[str, int] = {}
    tolerance = None
    for key, item in ctx.directives.declarations.items():
        try:
            if key == "tolerance":
                tolerance = parse_tolerance(item.value)
            elif key in ("n_vocab", "tensor_parallel"):
                if not item.value.isascii() or not item.value.isdigit() or int(item.value) < 1:
                    raise QuantityError(f"{item.value!r} is not a positive integer")
                facts[key] = int(item.value)
            else:
                counts[key] = Declared(parse_count(item.value), (), source="directive", mark=item.mark, end=item.end)
        except QuantityError as error:
            message = f"param-lint directive {key}={item.value}: {error}"
            ctx.schema_findings.append(Finding(ctx.path, item.mark.line, item.mark.column, "PL101", message))
    return counts, facts, tolerance


PARALLEL_FROM = 200  # files; fewer are linted in one process (a pre-commit batch, a few configs)


def lint_paths(
    paths: Sequence[str], settings: Settings = Settings(), jobs: int = 0, details: bool = False
) -> list[FileResult]:
    """Every file's result, in the order given (with breakdown and config when `details`).

    Without `details` only summaries are kept, so memory stays flat however many files.
    The work is shared by `workers(...)` processes, as ruff does; the results are the same
    either way. Workers are forked, so they start with everything already imported; where
    fork is not available the files are linted in this process.
    """
    processes = workers(len(paths), jobs)
    if processes > 1:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            # Chunks small enough that the pickled results in flight stay small; each result
            # keeps this process's copy of its path, not the one unpickled with it.
            chunk = max(1, min(len(paths) // (processes * 4), 250))
            fork = multiprocessing.get_context("fork")
            with fork.Pool(processes, initializer=_leave_interrupts_to_the_parent) as pool:
                lint = partial(_lint_in_worker, settings=settings, details=details)
                return [
                    _with_path(result, path)
                    for path, result in zip(paths, pool.imap(lint, paths, chunksize=chunk), strict=True)
                ]
    return [_lint_in_worker(path, settings, details) for path in paths]


def workers(files: int, jobs: int = 0) -> int:
    """How many processes lint `files` files: never more than the files or the CPUs.

    `jobs` 0 (the default) uses the CPUs no other program is using right now, from
    PARALLEL_FROM files on: on a busy machine workers would only compete with each other
    and with the programs already running, so it stays one process there.
    """
    cpus = _cpus()
    if jobs:
        return max(1, min(jobs, cpus, files))
    if files < PARALLEL_FROM:
        return 1
    return max(1, min(_idle_cpus(cpus), files))


def _cpus() -> int:
    """The CPUs this process may run on (its affinity, as in a container), else all of them."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


def _idle_cpus(cpus: int) -> int:
    """CPUs not busy with other programs: Linux counts the runnable tasks (this one among
    them) in /proc/loadavg; elsewhere the one-minute load average stands in."""
    try:
        with open("/proc/loadavg", "rb") as stream:
            busy = int(stream.read().split()[3].split(b"/")[0]) - 1
    except (OSError, IndexError, ValueError):
        getloadavg = getattr(os, "getloadavg", None)
        busy = int(getloadavg()[0]) if getloadavg is not None else 0
    return cpus - busy


def _with_path(result: FileResult, path: str) -> FileResult:
    result.path = path
    return result


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl-C reaches every process of the group: the parent stops the pool (exit 130), workers stay quiet."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _lint_in_worker(path: str, settings: Settings, details: bool) -> FileResult:
    result = lint_file(path, settings)
    return result if details else result.summary()
