"""The pipeline for one file: load -> recognise -> schema -> dialect -> count -> rules -> findings.

Pure apart from reading the file: no printing, no exit codes (that is `cli.py`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from .counting import count
from .dialects import Facts, looks_like_config, not_a_config_message, read, recognise
from .document import Document
from .findings import Finding
from .load import INCLUDE_TAG, load_path, load_path_with_includes
from .quantities import DEFAULT_TOLERANCE
from .results import FileResult
from .rules import RULES
from .rules.context import Context, Declared
from .settings import PathSettings, Settings

READABLE_SUFFIXES = (".yaml", ".yml", ".json")


def lint_file(path: str, settings: Settings = Settings()) -> FileResult:
    """Every enabled finding for the file at `path`."""
    if not path.lower().endswith(READABLE_SUFFIXES) and os.path.isfile(path):
        return _unreadable_format(path, settings)
    loaded = load_path(path, settings.max_file_size)
    if loaded.document is None and any(f.code == "PL003" and INCLUDE_TAG in f.message for f in loaded.findings):
        loaded = load_path_with_includes(path, settings.max_file_size)  # levanter's `!include`
    return lint_document(path, loaded.document, loaded.findings, settings)


def _unreadable_format(path: str, settings: Settings) -> FileResult:
    """A `.toml`, `.py`, `.sh` ... named explicitly: say so, rather than a YAML syntax error."""
    if settings.skip_non_configs:
        return FileResult(path, skipped=True)
    message = "not a format param-lint reads: model configs are YAML (.yaml, .yml) or JSON (.json)"
    findings = [Finding(path, 1, 1, "PL100", message)] if settings.enabled("PL100", path) else []
    return FileResult(path, findings)


def lint_document(
    path: str, document: Document | None, load_findings: list[Finding], settings: Settings = Settings()
) -> FileResult:
    if settings.skip_non_configs and not _judged(document, load_findings, path, settings):
        return FileResult(path, skipped=True)
    ctx = build_context(path, document, load_findings, settings)
    findings: list[Finding] = []
    for code, rule in RULES.items():
        if settings.enabled(code, path):
            severity = rule.severity(ctx) if hasattr(rule, "severity") else rule.SEVERITY
            findings.extend(replace(f, severity=severity) for f in rule.check(ctx))
    findings = _unsuppressed(findings, document)
    return FileResult(
        path,
        sorted(set(findings)),
        ctx.breakdown,
        ctx.config,
        ctx.expected_params.value if ctx.expected_params else None,
        ctx.expected_active_params.value if ctx.expected_active_params else None,
        dialect=ctx.dialect,
        family=ctx.config.family or None if ctx.config else None,
    )


def _judged(document: Document | None, load_findings: list[Finding], path: str, settings: Settings) -> bool:
    """Under --skip-non-configs: whether this file is a model config param-lint should judge.

    pre-commit hands the hook every YAML and JSON file: Kubernetes manifests, Helm templates,
    tsconfig.json with comments, lock files. A file that loads is judged when a dialect
    recognises it; one that does not load is judged only when its text names keys that
    only model configs have (a Llama config with a YAML typo is still reported).
    """
    if document is not None and not any(f.code != "PL002" for f in load_findings):
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


def build_context(path: str, document: Document | None, load_findings: list[Finding], settings: Settings) -> Context:
    """Run recognition, schema, dialect and count as far as the file allows."""
    from . import schema

    ctx = Context(path, document, list(load_findings))
    if document is None or any(f.code != "PL002" for f in load_findings):
        return ctx
    data = document.data
    dialect = recognise(data)
    if dialect is None:
        if isinstance(data, dict):
            message = not_a_config_message()
        else:
            what = "empty" if data is None else _KIND_WORDS.get(type(data), f"a {type(data).__name__}")
            message = f"the file is {what}; {not_a_config_message()}"
        ctx.unrecognised.append(ctx.finding("PL100", (), message))
        return ctx
    ctx.dialect = dialect.name
    if dialect.schema is not None:
        ctx.schema_findings = schema.check(document, dialect.schema)
    if dialect.extra_checks is not None:
        ctx.schema_findings += dialect.extra_checks(document)
    if ctx.schema_findings:
        return ctx
    per_path = settings.for_path(path)
    facts = Facts(path, getattr(per_path, "n_vocab", None), getattr(per_path, "tensor_parallel", None))
    config, problems = read(document, facts)
    ctx.schema_findings += [f for f in problems if f.code == "PL101"]
    ctx.cannot_count += [f for f in problems if f.code == "PL102"]
    ctx.count_declared = bool(
        {"expected_params", "expected_active_params"}.intersection(data)
        or (per_path and (per_path.expected_params is not None or per_path.expected_active_params is not None))
    )
    if config is None:
        return ctx
    ctx.config = config
    ctx.breakdown = count(config.architecture)
    ctx.tolerance = config.tolerance or (per_path and per_path.tolerance) or settings.tolerance or DEFAULT_TOLERANCE
    ctx.expected_params = _declared(config.expected_params, "expected_params", per_path)
    ctx.expected_active_params = _declared(config.expected_active_params, "expected_active_params", per_path)
    return ctx


_KIND_WORDS = {list: "a list", str: "a string", int: "a number", float: "a number", bool: "a boolean"}


def _declared(in_file: int | None, key: str, per_path: PathSettings | None) -> Declared | None:
    if in_file is not None:
        return Declared(in_file, (key,))
    from_settings = getattr(per_path, key, None) if per_path else None
    return Declared(from_settings, ()) if from_settings is not None else None


_SUPPRESSION = re.compile(r"#\s*param-lint:\s*disable(-file)?(?:\s*=\s*([A-Z0-9, ]+))?")


def _unsuppressed(findings: list[Finding], document: Document | None) -> list[Finding]:
    """Drop findings silenced by `# param-lint: disable=CODE` (this line) or `disable-file=CODE`."""
    if document is None or "param-lint:" not in document.text:
        return findings
    by_line: dict[int, set[str] | None] = {}
    whole_file: set[str] | None = set()
    for number, line in enumerate(document.text.splitlines(), start=1):
        match = _SUPPRESSION.search(line)
        if not match:
            continue
        codes = {c.strip() for c in match.group(2).split(",") if c.strip()} if match.group(2) else None
        if match.group(1):
            whole_file = None if codes is None or whole_file is None else whole_file | codes
        else:
            by_line[number] = codes

    def silenced(f: Finding) -> bool:
        if whole_file is None or f.code in whole_file:
            return True
        if f.line in by_line:
            codes = by_line[f.line]
            return codes is None or f.code in codes
        return False

    return [f for f in findings if not silenced(f)]


PARALLEL_FROM = 200  # files; fewer are linted in one process (a pre-commit batch, a few configs)


def lint_paths(
    paths: Sequence[str], settings: Settings = Settings(), jobs: int = 0, details: bool = False
) -> list[FileResult]:
    """Every file's result, in the order given (with breakdown and config when `details`).

    With many files the work is shared by `jobs` worker processes (0: one per CPU, up to 8,
    from PARALLEL_FROM files on), as ruff does; the results are the same either way.
    Workers are forked, so they start with everything already imported; where fork is
    not available the files are linted in this process.
    """
    jobs = jobs or (min(os.cpu_count() or 1, 8) if len(paths) >= PARALLEL_FROM else 1)
    if jobs > 1 and len(paths) > 1:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            chunk = max(1, len(paths) // (jobs * 4))
            with multiprocessing.get_context("fork").Pool(jobs) as pool:
                return pool.map(partial(_lint_in_worker, settings=settings, details=details), paths, chunksize=chunk)
    return [lint_file(path, settings) for path in paths]


def _lint_in_worker(path: str, settings: Settings, details: bool) -> FileResult:
    result = lint_file(path, settings)
    return result if details else result.summary()
