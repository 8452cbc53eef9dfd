"""The command line: the only place that reads argv and pyproject.toml, prints, and exits.

Exit status: 0 no error finding; 1 at least one error finding; 2 param-lint could not
do its job (bad option or setting, no file matched, internal failure).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .findings import Finding
    from .results import FileResult
    from .settings import Settings

EXIT_OK, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with exit status 2 and no traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of processes (0 for automatic), got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .report import FORMATS

    parser = _Parser(
        prog="param-lint",
        description="Check ML model configs: exact parameter counts, expected_params, weight shapes.",
        epilog="`param-lint rules [CODE]` documents the rules. Settings: [tool.param-lint] in pyproject.toml.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="config files, directories, quoted globs, or - for standard input"
    )
    parser.add_argument(
        "--format", choices=list(FORMATS), help="output format (default: text, github under GitHub Actions)"
    )
    parser.add_argument(
        "--tolerance", help="allowed difference from expected_params: 1%%, 0.5%%, 0, 1M (a file's own wins)"
    )
    parser.add_argument("--select", help="comma-separated codes or prefixes to enable (PL202, PL3)")
    parser.add_argument("--ignore", help="comma-separated codes or prefixes to disable")
    parser.add_argument("--config", metavar="PYPROJECT", help="read settings from this pyproject.toml")
    parser.add_argument("--isolated", action="store_true", help="ignore pyproject.toml settings")
    parser.add_argument(
        "--skip-non-configs",
        action="store_true",
        default=None,
        help="pass over files with neither `model:` nor `model_type` (for pre-commit on every YAML/JSON file)",
    )
    parser.add_argument("--breakdown", action="store_true", help="print each model's count, component by component")
    parser.add_argument("--max-file-size", help="refuse larger files (default 1MiB; sizes like 2M allowed)")
    parser.add_argument("--fix", action="store_true", help="write the computed count into expected_params")
    parser.add_argument("--diff", action="store_true", help="with --fix: show the change instead of writing it")
    parser.add_argument(
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help="worker processes for many files (default 0: one per CPU from 200 files on; 1: none)",
    )
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="with `-` (read standard input): the name to report and to choose settings and format by",
    )
    parser.add_argument("--version", action="version", version=f"param-lint {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run param-lint; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["rules"]:
            return rules_command(args[1:])
        return run(build_parser().parse_args(args))
    except _UsageError as error:
        print(f"param-lint: error: {error}", file=sys.stderr)
        return EXIT_TROUBLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # a bug: say so plainly, never a traceback on stdout
        print(f"param-lint: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print("please report it with the file that caused it; PARAM_LINT_DEBUG=1 shows the traceback", file=sys.stderr)
        if os.environ.get("PARAM_LINT_DEBUG"):
            raise
        return EXIT_TROUBLE


def run(args: argparse.Namespace) -> int:
    from .discover import STDIN, find
    from .settings import SettingsError

    try:
        finder = SettingsFinder(args)
        if not args.paths:
            raise SettingsError("no path given; try `param-lint configs/`")
        if args.stdin_filename is not None and STDIN not in args.paths:
            raise SettingsError("--stdin-filename goes with `-` (standard input) among the paths")
        if args.fix and STDIN in args.paths:
            raise SettingsError("--fix works on files, not on standard input (`-`)")
        found = find(args.paths, finder.at)
        settings = [finder.at(os.path.dirname(_named(path, args)) or ".") for path in found.files]
    except SettingsError as error:
        print(f"param-lint: error: {error}", file=sys.stderr)
        return EXIT_TROUBLE
    for pattern in found.unmatched:
        if found.files or found.problems:
            print(f"param-lint: warning: {pattern} matched no files", file=sys.stderr)
    if not found.files and not found.problems:
        if not found.excluded:
            print(f"param-lint: error: no files matched {' '.join(args.paths)}", file=sys.stderr)
            return EXIT_TROUBLE
        print("param-lint: warning: every path given is excluded by the settings", file=sys.stderr)
    if args.fix and args.diff:
        return diff_paths(found.files, settings, found.roots)
    trouble = False
    if args.fix:
        results, trouble = fix_paths(found.files, settings, found.roots)
    else:
        results = lint_all(found.files, settings, _jobs_for(args.jobs, len(found.files)), args)
    results = _problems(found.problems, finder.at(".")) + results
    name = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    sys.stdout.write(reporter(name).render(results, breakdown=args.breakdown))
    errors = any(f.severity == "error" for r in results for f in r.findings)
    return EXIT_TROUBLE if trouble else EXIT_FINDINGS if errors else EXIT_OK


def _named(path: str, args: argparse.Namespace) -> str:
    """The name a file is reported under: standard input takes --stdin-filename."""
    return (args.stdin_filename or "-") if path == "-" else path


def _jobs_for(requested: int, files: int) -> int:
    """Worker processes: never more than the CPUs or the files (0 leaves the choice to the pipeline)."""
    if requested <= 1:
        return requested
    return max(1, min(requested, os.cpu_count() or 1, files))


def _problems(problems: list[Finding], settings: Settings) -> list[FileResult]:
    """Directories that could not be searched, as results of their own (PL001 findings)."""
    from .results import FileResult

    return [FileResult(f.path, [f]) for f in problems if settings.enabled(f.code, f.path)]


def lint_all(paths: list[str], settings: list[Settings], jobs: int, args: argparse.Namespace) -> list[FileResult]:
    """Each file's result in order; files sharing settings (one pyproject.toml) are linted together."""
    from .pipeline import lint_paths

    results: list[FileResult | None] = [None] * len(paths)
    groups: dict[int, list[int]] = {}
    for index, (path, options) in enumerate(zip(paths, settings, strict=True)):
        if path == "-":
            results[index] = _lint_stdin(args, options)
        else:
            groups.setdefault(id(options), []).append(index)
    for indices in groups.values():
        group = lint_paths([paths[i] for i in indices], settings[indices[0]], jobs, details=args.breakdown)
        for index, result in zip(indices, group, strict=True):
            results[index] = result
    return [result for result in results if result is not None]


def _lint_stdin(args: argparse.Namespace, settings: Settings) -> FileResult:
    """`-`: the config on standard input, reported (and matched against settings) as --stdin-filename."""
    from .load import load_stream
    from .pipeline import lint_document
    from .results import FileResult

    name = _named("-", args)
    if _excluded_name(name, settings):
        return FileResult(name, skipped=True)
    loaded = load_stream(name, sys.stdin.buffer, settings.max_file_size)
    return lint_document(name, loaded.document, loaded.findings, settings)


def _excluded_name(name: str, settings: Settings) -> bool:
    from .discover import _excluded

    return name != "-" and _excluded(name, settings)


def reporter(name: str):
    from .report import reporter_for

    return reporter_for(name)


def fix_paths(paths: list[str], settings: list[Settings], roots: dict[str, str]) -> tuple[list[FileResult], bool]:
    """--fix: fix each file; its findings afterwards, and whether some file could not be fixed."""
    from .fix import fix_file

    fixes = [fix_file(path, options, within=roots.get(path)) for path, options in zip(paths, settings, strict=True)]
    for fix in fixes:
        if fix.error:
            print(f"param-lint: error: {fix.error}", file=sys.stderr)
        elif fix.changed:
            print(f"{fix.path}: fixed {', '.join(fix.changes)}", file=sys.stderr)
    return [fix.result for fix in fixes], any(fix.error for fix in fixes)


def diff_paths(paths: list[str], settings: list[Settings], roots: dict[str, str]) -> int:
    """--fix --diff: print the fixes as one unified diff (for `git apply -p0`) and write nothing.

    Exit status 1 when some file would change, 0 when none would, 2 when one cannot be fixed.
    """
    from .fix import fix_file, unified_diff

    fixes = [
        fix_file(path, options, write=False, within=roots.get(path))
        for path, options in zip(paths, settings, strict=True)
    ]
    for fix in fixes:
        if fix.error:
            print(f"param-lint: error: {fix.error}", file=sys.stderr)
    sys.stdout.write("".join(unified_diff(fix) for fix in fixes if fix.changed))
    if any(fix.error for fix in fixes):
        return EXIT_TROUBLE
    return EXIT_FINDINGS if any(fix.changed for fix in fixes) else EXIT_OK


class SettingsFinder:
    """The settings for a place: the nearest pyproject.toml with [tool.param-lint] above it (as ruff
    looks them up, from each file's location), or --config's, or none with --isolated; the
    command line on top. One Settings per pyproject.toml, so files that share one share it."""

    def __init__(self, args: argparse.Namespace) -> None:
        from .rules import RULES
        from .settings import SettingsError, codes

        self.args = args
        self.by_directory: dict[str, Settings] = {}
        self.by_pyproject: dict[str | None, Settings] = {}
        self.has_settings: dict[str, bool] = {}  # pyproject.toml path -> has [tool.param-lint]
        self.overrides: dict = {}
        if args.tolerance is not None:
            self.overrides["tolerance"] = _quantity(args.tolerance, "--tolerance", "tolerance")
        if args.max_file_size is not None:
            self.overrides["max_file_size"] = _quantity(args.max_file_size, "--max-file-size", "size")
        if args.skip_non_configs:
            self.overrides["skip_non_configs"] = True
        if args.select is not None:
            self.overrides["select"] = codes(args.select, "--select", RULES)
        if args.ignore is not None:
            self.overrides["ignore"] = codes(args.ignore, "--ignore", RULES)
        if args.diff and not args.fix:
            raise SettingsError("--diff goes with --fix")
        if args.jobs > MAX_JOBS:
            raise SettingsError(f"--jobs: at most {MAX_JOBS} worker processes, got {args.jobs}")
        if args.config or args.isolated:
            self.fixed = self._settings(None if args.isolated else args.config)

    def at(self, directory: str) -> Settings:
        """The settings that apply to files in `directory`."""
        from .settings import find_pyproject

        if self.args.config or self.args.isolated:
            return self.fixed
        key = os.path.abspath(directory)
        if key not in self.by_directory:
            self.by_directory[key] = self._settings(find_pyproject(key, self.has_settings))
        return self.by_directory[key]

    def _settings(self, pyproject: str | None) -> Settings:
        from .rules import RULES
        from .settings import Settings, from_table, read_pyproject

        if pyproject not in self.by_pyproject:
            options: dict = {}
            if pyproject:
                options = from_table(
                    read_pyproject(pyproject), f"{pyproject}: [tool.param-lint]", source=pyproject, known_codes=RULES
                )
            self.by_pyproject[pyproject] = Settings(**{**options, **self.overrides})
        return self.by_pyproject[pyproject]


MAX_JOBS = 256  # more is a typo: the run uses at most one worker per CPU anyway


def _quantity(text: str, option: str, kind: str):
    from .quantities import QuantityError, parse_tolerance
    from .settings import SettingsError, max_file_size

    try:
        return parse_tolerance(text) if kind == "tolerance" else max_file_size(text)
    except (QuantityError, SettingsError) as error:
        raise SettingsError(f"{option}: {error}") from None


def rules_command(args: list[str]) -> int:
    """`param-lint rules` lists the codes; `param-lint rules PL301` explains one."""
    from .rules import RULES, enabled_by_default

    if not args:
        for code, rule in RULES.items():
            note = "" if enabled_by_default(code) else " (off unless selected)"
            print(f"{code}  {rule.SEVERITY:<8} {rule.NAME:<30} {rule.SUMMARY}{note}")
        return EXIT_OK
    status = EXIT_OK
    for code in args:
        found = RULES.get(code.upper())
        if found is None:
            print(f"param-lint: error: unknown rule {code!r}; `param-lint rules` lists them", file=sys.stderr)
            status = EXIT_TROUBLE
            continue
        print(f"{found.CODE} ({found.NAME}, {found.SEVERITY})\n")
        print((found.__doc__ or "").strip() + "\n")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
