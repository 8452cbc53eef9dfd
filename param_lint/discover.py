"""Which files a run lints: one discovery for named paths, directory searches and quoted globs.

A directory search and a quoted glob walk the tree the same way: never into a symlinked
directory (no loops, no file reached twice), never into hidden directories, virtualenvs,
`node_modules`, `site-packages`, `build` or `dist`, and, inside a git work tree, never into
what `.gitignore` ignores. `exclude` drops files and directories, named ones included (as
ruff's force-exclude: pre-commit names every file). A directory that cannot be read is a
PL001 finding, not a silent gap.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from fnmatch import translate as fnmatch_translate
from functools import cache
from operator import attrgetter

from .findings import Finding
from .settings import Settings

SKIPPED_DIRECTORIES = frozenset({"node_modules", "site-packages", "env", "build", "dist", "__pycache__"})
SKIPPED_PREFIXES = (".", "venv")  # hidden directories (.git, .tox, .venv-3.11) and venv, venv311...
STDIN = "-"
_GLOB_CHARACTERS = frozenset("*?[")


def skipped_directory(name: str) -> bool:
    """A directory a search never enters (one named on the command line is still searched)."""
    return name.startswith(SKIPPED_PREFIXES) or name in SKIPPED_DIRECTORIES


@dataclass
class Discovery:
    """What the paths given name: the files, in order, each once, and what went wrong finding them."""

    files: list[str] = field(default_factory=list)
    roots: dict[str, str] = field(default_factory=dict)  # a file found by searching -> the directory searched
    problems: list[Finding] = field(default_factory=list)  # directories that cannot be read (PL001)
    unmatched: list[str] = field(default_factory=list)  # globs that matched no file
    excluded: int = 0  # named files and directories dropped by `exclude`


def discover(paths: Iterable[str], settings: Settings) -> list[str]:
    """The files to lint, in order, each once (the Python API's view of `find`)."""
    return find(paths, lambda _: settings).files


def find(paths: Iterable[str], settings_at: Callable[[str], Settings]) -> Discovery:
    """Expand `paths` (files, directories, quoted globs, `-` for standard input).

    `settings_at(directory)` gives the settings that apply at a path given (its include and
    exclude rule the search under it). A file named explicitly is linted even if it does not
    exist (that is a PL001 finding), unless `exclude` names it.
    """
    found = Discovery()
    candidates: list[tuple[str, str | None, tuple[int, int] | None, bool]] = []  # path, root, identity, symlink
    for path in paths:
        if path == STDIN:
            candidates.append((path, None, None, False))
            continue
        directory = path if os.path.isdir(path) else os.path.dirname(path) or "."
        settings = settings_at(directory)
        if _GLOB_CHARACTERS & set(path) and not os.path.lexists(path):
            before = len(candidates)
            base, pattern = _split_glob(path)
            candidates += [
                (file, base or ".", identity, symlink)
                for file, identity, symlink in _walk(base, settings, found.problems, pattern)
            ]
            if len(candidates) == before:
                found.unmatched.append(path)
        elif _excluded_named(path, settings):
            found.excluded += 1
        elif os.path.isdir(path):
            candidates += [
                (file, path, identity, symlink) for file, identity, symlink in _walk(path, settings, found.problems)
            ]
        else:
            candidates.append((path, None, *_identity_of(path)))
    # Each file once: by its path, and by what it is (a symlink whose target is linted anyway is dropped).
    real = {identity for _, _, identity, symlink in candidates if identity is not None and not symlink}
    seen_paths: set[str] = set()
    seen: set[tuple[int, int]] = set()
    for path, root, identity, symlink in candidates:
        if identity is not None and (identity in seen or (symlink and identity in real)):
            continue
        if root is None:  # named: the same name twice (a file found by searching has an identity)
            key = os.path.normpath(path)
            if key in seen_paths:
                continue
            seen_paths.add(key)
        if identity is not None:
            seen.add(identity)
        found.files.append(path)
        if root is not None:
            found.roots[path] = root
    return found


def _identity_of(path: str) -> tuple[tuple[int, int] | None, bool]:
    try:
        info = os.stat(path)
        return (info.st_dev, info.st_ino), os.path.islink(path)
    except OSError:
        return None, False


def _walk(
    top: str, settings: Settings, problems: list[Finding], pattern: tuple[str, ...] | None = None
) -> Iterable[tuple[str, tuple[int, int], bool]]:
    """Files under `top` that `include` (or the glob `pattern`, relative to `top`) picks, with their identity.

    Depth first in name order, a directory's files before its subdirectories (as os.walk).
    A directory the glob matches is searched like a named one. The identity (device, inode)
    lets a file reached twice (through a symlink, a hard link) count once.
    """
    ignored = _git_ignored(top or ".")
    included = _any_of(settings.include)
    stack: list[tuple[str, tuple[str, ...], bool]] = [(top, (), pattern is None)]
    while stack:
        directory, parts, searching = stack.pop()
        try:
            with os.scandir(directory or ".") as scan:
                entries = sorted(scan, key=_NAME)
            device = os.stat(directory or ".").st_dev
        except FileNotFoundError:  # a glob's directory that does not exist: it matches nothing
            continue
        except OSError as error:
            reason = error.strerror or str(error)
            problems.append(Finding(directory or ".", 1, 1, "PL001", f"cannot read the directory: {reason}"))
            continue
        subdirectories = []
        prefix = directory if not directory or directory.endswith(os.sep) else directory + os.sep
        model_folder = is_model_folder([entry.name for entry in entries])
        for entry in entries:
            relative = (*parts, entry.name) if pattern is not None or ignored else ()
            path = prefix + entry.name
            try:
                is_directory = entry.is_dir(follow_symlinks=False)
                if not is_directory and entry.is_dir():
                    continue  # a symlink to a directory: never followed
            except OSError:
                is_directory = False
            if ignored and "/".join(relative) + ("/" if is_directory else "") in ignored:
                continue
            if is_directory:
                if skipped_directory(entry.name) or _excluded(path, settings):
                    continue
                if searching or pattern is None or _matches(relative, pattern):
                    subdirectories.append((path, relative, True))
                elif _could_match(relative, pattern):
                    subdirectories.append((path, relative, False))
                continue
            globbed = pattern is not None and not searching
            if model_folder and not globbed and entry.name != "config.json":
                continue  # the checkpoint is checked through its config (PL5xx); the rest are not configs
            chosen = _matches(relative, pattern) if globbed else included(entry.name) is not None
            if chosen and not _excluded(path, settings):
                yield path, _identity(entry, device), entry.is_symlink()
        stack.extend(reversed(subdirectories))


_NAME = attrgetter("name")


@cache
def _any_of(patterns: tuple[str, ...]) -> Callable[[str], re.Match[str] | None]:
    """One compiled matcher for a tuple of name globs (`include`): a file's name is tested once."""
    return re.compile("|".join(fnmatch_translate(p) for p in patterns) or "(?!)").match


def _identity(entry: os.DirEntry, device: int) -> tuple[int, int]:
    if entry.is_symlink():
        try:
            info = entry.stat()
            return info.st_dev, info.st_ino
        except OSError:  # a broken link: itself (it becomes a PL001 finding)
            pass
    return device, entry.inode()


def _split_glob(path: str) -> tuple[str, tuple[str, ...]]:
    """`configs/**/*.yaml` -> ("configs", ("**", "*.yaml")): the literal directory to walk and the rest."""
    parts = path.replace(os.sep, "/").split("/")
    literal = 0
    while literal < len(parts) - 1 and not _GLOB_CHARACTERS & set(parts[literal]):
        literal += 1
    base = "/".join(parts[:literal])
    if path.startswith("/") and not base:
        base = "/"
    return base, tuple(part for part in parts[literal:] if part)  # base "": the working directory


@cache
def _matches(parts: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    """Path components against glob components; `**` stands for any number of directories."""
    if not pattern:
        return not parts
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(_matches(parts[i:], rest) for i in range(len(parts) + 1))
    return bool(parts) and _component(parts[0], head) and _matches(parts[1:], rest)


def _could_match(parts: tuple[str, ...], pattern: tuple[str, ...]) -> bool:
    """Whether files under the directory `parts` can match `pattern` (prunes a glob's walk)."""
    for depth, part in enumerate(parts):
        if depth >= len(pattern) - 1:
            return pattern[-1:] == ("**",) or "**" in pattern[:depth]
        if pattern[depth] == "**":
            return True
        if not _component(part, pattern[depth]):
            return False
    return True


def _component(name: str, pattern: str) -> bool:
    """One name against one glob component; as in the shell, `*` does not match a leading dot."""
    if name.startswith(".") and not pattern.startswith("."):
        return False
    return fnmatch(name, pattern)


def _excluded(path: str, settings: Settings) -> bool:
    if not settings.exclude:
        return False
    normalized = os.path.normpath(path).replace(os.sep, "/")
    name = os.path.basename(normalized)
    return any(fnmatch(normalized, p) or fnmatch(name, p) or fnmatch(normalized, "*/" + p) for p in settings.exclude)


def _excluded_named(path: str, settings: Settings) -> bool:
    """A path given on the command line: excluded itself, or inside an excluded directory."""
    if not settings.exclude:
        return False
    parts = os.path.normpath(path).split(os.sep)
    return any(_excluded(os.sep.join(parts[:i]), settings) for i in range(len(parts), 0, -1) if parts[i - 1])


def _git_ignored(top: str) -> frozenset[str]:
    """What git ignores under `top` (paths relative to it; directories end in `/`), when in a work tree.

    One `git ls-files` call per directory searched: it lists ignored directories without
    entering them, so an ignored data folder of 100,000 files costs nothing to skip.
    """
    if git_root(os.path.abspath(top)) is None:
        return frozenset()
    try:
        run = subprocess.run(
            ["git", "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
            cwd=top,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):  # no git: .gitignore cannot be read as git reads it
        return frozenset()
    if run.returncode != 0:
        return frozenset()
    return frozenset(os.fsdecode(name) for name in run.stdout.split(b"\0") if name)


def git_root(directory: str) -> str | None:
    """The nearest folder at or above `directory` holding `.git`, or None outside a repository."""
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


CHECKPOINT_INDEXES = ("model.safetensors.index.json", "pytorch_model.bin.index.json")


def is_model_folder(names: list[str]) -> bool:
    """A Hugging Face model folder: config.json beside a checkpoint. Its other JSON files
    (tokenizer, generation config, the index) are not model configs."""
    return "config.json" in names and any(n in CHECKPOINT_INDEXES or n.endswith(".safetensors") for n in names)
