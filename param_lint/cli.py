"""The command line: the only place that reads argv and pyproject.toml, prints, and exits.

Exit status: 0 no error finding; 1 at least one error finding; 2 param-lint could not
do its job (bad option or setting, no file matched, internal failure).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import replace

from . import __version__

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
    parser.add_argument("paths", nargs="*", metavar="PATH", help="config files, directories or quoted globs")
    parser.add_argument("--format", choices=FORMATS, help="output format (default: text, github under GitHub Actions)")
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
    from .discover import discover
    from .pipeline import lint_paths
    from .report import reporters
    from .settings import SettingsError

    try:
        settings = settings_for(args)
    except SettingsError as error:
        print(f"param-lint: error: {error}", file=sys.stderr)
        return EXIT_TROUBLE
    if not args.paths:
        print("param-lint: error: no path given; try `param-lint configs/`", file=sys.stderr)
        return EXIT_TROUBLE
    paths = discover(args.paths, settings)
    if not paths:
        print(f"param-lint: error: no files matched {' '.join(args.paths)}", file=sys.stderr)
        return EXIT_TROUBLE
    trouble = False
    if args.fix and args.diff:
        return diff_paths(paths, settings)
    if args.fix:
        results, trouble = fix_paths(paths, settings)
    else:
        results = lint_paths(paths, settings, args.jobs, details=args.breakdown)
    name = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    sys.stdout.write(reporters()[name]().render(results, breakdown=args.breakdown))
    errors = any(f.severity == "error" for r in results for f in r.findings)
    return EXIT_TROUBLE if trouble else EXIT_FINDINGS if errors else EXIT_OK


def fix_paths(paths: list[str], settings) -> tuple[list, bool]:
    """--fix: fix each file; its findings afterwards, and whether some file could not be fixed."""
    from .fix import fix_file

    fixes = [fix_file(path, settings) for path in paths]
    for fix in fixes:
        if fix.error:
            print(f"param-lint: error: {fix.error}", file=sys.stderr)
        elif fix.changed:
            print(f"{fix.path}: fixed {', '.join(fix.changes)}", file=sys.stderr)
    return [fix.result for fix in fixes], any(fix.error for fix in fixes)


def diff_paths(paths: list[str], settings) -> int:
    """--fix --diff: print the fixes as one unified diff (for `git apply -p0`) and write nothing.

    Exit status 1 when some file would change, 0 when none would, 2 when one cannot be fixed.
    """
    from .fix import fix_file, unified_diff

    fixes = [fix_file(path, settings, write=False) for path in paths]
    for fix in fixes:
        if fix.error:
            print(f"param-lint: error: {fix.error}", file=sys.stderr)
    sys.stdout.write("".join(unified_diff(fix) for fix in fixes if fix.changed))
    if any(fix.error for fix in fixes):
        return EXIT_TROUBLE
    return EXIT_FINDINGS if any(fix.changed for fix in fixes) else EXIT_OK


def settings_for(args: argparse.Namespace):
    """[tool.param-lint] from pyproject.toml, then the command line on top."""
    from .quantities import QuantityError, parse_count, parse_tolerance
    from .rules import RULES
    from .settings import Settings, SettingsError, codes, find_pyproject, from_table, read_pyproject

    options: dict = {}
    if not args.isolated:
        pyproject = args.config or find_pyproject(os.getcwd())
        if pyproject:
            options = from_table(read_pyproject(pyproject), f"{pyproject}: [tool.param-lint]", source=pyproject)
    settings = Settings(**options)
    try:
        if args.tolerance is not None:
            settings = replace(settings, tolerance=parse_tolerance(args.tolerance))
        if args.max_file_size is not None:
            settings = replace(settings, max_file_size=parse_count(args.max_file_size))
    except QuantityError as error:
        raise SettingsError(f"--tolerance/--max-file-size: {error}") from None
    if args.skip_non_configs:
        settings = replace(settings, skip_non_configs=True)
    if args.select is not None:
        settings = replace(settings, select=codes(args.select, "--select", RULES))
    if args.ignore is not None:
        settings = replace(settings, ignore=codes(args.ignore, "--ignore", RULES))
    if args.diff and not args.fix:
        raise SettingsError("--diff goes with --fix")
    return settings


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
