"""--fix: write the computed count into `expected_params`, and change nothing else.

The file is edited as text, at the positions the loader recorded, never re-dumped: comments,
key order, quoting and spacing elsewhere stay byte for byte. A declared count that PL201
reports is replaced; a missing one is added at the top level (after the `model:` block in
YAML, as the last member in JSON). `expected_active_params` (mixture of experts) is replaced
when PL201 reports it, never added. Counts come out exact: `174_604_259_328` in YAML (the
spelling the examples use; YAML 1.1 and param-lint read it as an integer), `174604259328`
in JSON.

Every edit is checked before it is written: the new text is parsed again and must hold
the same data with only those keys changed, or the file is left alone. Writing is atomic:
a temporary file in the same directory, fsync, then os.replace over the original, keeping
its mode, owner and group. A file with other hard links (or whose owner cannot be given to
the new file) is written in place instead, through the same inode, after a verified copy of
the original that restores it if the write fails. A read-only file is refused; so is a file
changed by someone else while it was being fixed, and a symlink found in a directory search
that points outside the directory. SIGTERM during a write cleans up like Ctrl-C does.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from .dialects import dialect_named
from .document import Document
from .findings import Mark
from .load import encode, load_text, read_and_load
from .pipeline import lint_document
from .results import FileResult
from .settings import Settings


class FixError(Exception):
    """A file that cannot be fixed safely; the message says why. The file is untouched."""


@dataclass(frozen=True)
class FileFix:
    """The outcome of --fix for one file."""

    path: str
    result: FileResult  # the findings for the file as it is now (after writing, if written)
    before: str = ""
    after: str = ""
    changes: tuple[str, ...] = ()  # e.g. "expected_params: 174_604_259_328"
    error: str | None = None
    elsewhere: tuple[tuple[str, str, str], ...] = ()  # (path, before, after) of a pyproject.toml it fixed

    @property
    def changed(self) -> bool:
        return self.before != self.after or bool(self.elsewhere)


@dataclass(frozen=True, order=True)
class _Edit:
    start: int  # offsets into the text
    end: int
    text: str


def fix_file(path: str, settings: Settings = Settings(), write: bool = True, within: str | None = None) -> FileFix:
    """Fix `path` (or, with write=False, only compute the fix) and lint what results.

    `within`: the directory searched that found `path`; a symlink to a file outside it is
    not written through (a named file, symlink or not, is written).
    """
    raw, loaded = read_and_load(path, settings.max_file_size)  # as the loader reads: a FIFO never blocks
    document = loaded.document
    result = lint_document(path, document, loaded.findings, settings)
    if document is None or result.breakdown is None or any(f.code in ("PL001", "PL003") for f in loaded.findings):
        return FileFix(path, result)
    try:
        plan = _plan(document, result)
        if not plan.changes:
            return FileFix(path, result)
        if within is not None:
            _check_inside(path, within)
        elsewhere = _pyproject_fixes(path, settings, plan.in_pyproject)
        after = _apply(document.text, plan.edits)
        fixed = _verify(document, after, loaded.findings, plan.in_data)
        if write:
            for target, before, changed in elsewhere:
                _write(target, before.encode("utf-8"), changed.encode("utf-8"))
            if after != document.text:
                _write(path, raw, encode(after, raw))
    except FixError as error:
        return FileFix(path, result, error=f"cannot fix {path}: {error}")
    if write:
        result = lint_document(path, fixed, loaded.findings, _reread(settings, elsewhere))
    described = tuple(f"{key}: {_spelled(value, document.format)}" for key, value in plan.changes.items())
    return FileFix(path, result, document.text, after, described, elsewhere=tuple(elsewhere))


def unified_diff(fix: FileFix) -> str:
    """The change as a unified diff that `git apply -p0` and `patch -p0` accept."""
    return "".join(
        _diff(path, before, after) for path, before, after in ((fix.path, fix.before, fix.after), *fix.elsewhere)
    )


def _diff(path: str, before: str, after: str) -> str:
    # A name with spaces ends with a tab, as GNU diff writes it: `patch` reads the name up to the tab.
    name = path + ("\t" if any(c.isspace() for c in path) else "")
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), name, name)
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _check_inside(path: str, directory: str) -> None:
    """Refuse a file that a symlink found while searching `directory` leads outside it."""
    target, top = os.path.realpath(path), os.path.realpath(directory)
    if os.path.commonpath([target, top]) != top:
        raise FixError(f"it is a symlink to {target}, outside {directory}; name that file to fix it")


@dataclass
class _Plan:
    """What --fix will change: text edits to the file, and counts declared in pyproject."""

    edits: list[_Edit] = field(default_factory=list)
    changes: dict[str, int] = field(default_factory=dict)  # every key fixed, wherever it lives
    in_data: dict[str, int] = field(default_factory=dict)  # keys of the file's own data
    in_pyproject: dict[str, int] = field(default_factory=dict)


def _plan(document: Document, result: FileResult) -> _Plan:
    """Set each wrong declared count to the computed one where it is declared (the file's key,
    its `# param-lint:` directive, or pyproject), and declare a missing expected_params."""
    assert result.breakdown is not None and isinstance(document.data, dict)
    counted = {"expected_params": result.breakdown.total}
    if result.active_params is not None:
        counted["expected_active_params"] = result.breakdown.active
    wrong = {f.subject for f in result.findings if f.code == "PL201"}
    plan = _Plan()
    for key, value in counted.items():
        declared = result.declared.get(key)
        if declared is None:
            if key != "expected_params":
                continue  # never added: a dense reading of a MoE file is the user's to declare
            if _may_declare_in_file(result):
                plan.edits.append(_insert_key(document, key, value))
                plan.in_data[key] = value
            elif document.format == "json":
                continue  # no key of ours allowed, and JSON has no comments: declare it in pyproject
            else:
                plan.edits.append(_insert_directive(document, key, value))
        elif key not in wrong:
            continue
        elif declared.source == "file":
            plan.edits.append(_replace_value(document, key, value))
            plan.in_data[key] = value
        elif declared.source == "directive":
            assert declared.mark is not None and declared.end is not None
            start, end = _offset(document.text, declared.mark), _offset(document.text, declared.end)
            plan.edits.append(_Edit(start, end, f"{value:_}"))
        else:
            plan.in_pyproject[key] = value
        plan.changes[key] = value
    return plan


def _insert_directive(document: Document, key: str, value: int) -> _Edit:
    """`# param-lint: key=value` as the first line, for a format that rejects keys of ours."""
    return _Edit(0, 0, f"# param-lint: {key}={value:_}{_newline(document.text)}")


def _pyproject_fixes(path: str, settings: Settings, counts: dict[str, int]) -> list[tuple[str, str, str]]:
    """(pyproject path, text before, text after) for counts declared in `[tool.param-lint.files]`.

    Only an entry for exactly one file is rewritten: a glob's count stands for many files,
    and the number that fits this one would break the others.
    """
    if not counts:
        return []
    entry = settings.for_path(path)
    assert entry is not None and entry.source
    if any(char in entry.pattern for char in "*?["):
        raise FixError(
            f"the count is declared for the glob {entry.pattern!r} in {entry.source}; "
            "a count that fits this file would not fit the others: fix it there by hand"
        )
    try:
        with open(entry.source, encoding="utf-8", newline="") as stream:
            before = stream.read()
    except (OSError, UnicodeDecodeError) as error:
        raise FixError(f"cannot read {entry.source}: {error}") from None
    return [(entry.source, before, _edit_pyproject(before, entry.pattern, counts))]


def _edit_pyproject(text: str, pattern: str, counts: dict[str, int]) -> str:
    """The pyproject text with each key of the `files."pattern"` table set to its count."""
    import re

    header = re.compile(r"^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*param-lint[ \t]*\.[ \t]*files[ \t]*\.[ \t]*(\S.*?)[ \t]*\]")
    lines = text.splitlines(keepends=True)
    inside = False
    done: set[str] = set()
    for index, line in enumerate(lines):
        match = header.match(line)
        if match:
            inside = match.group(1).strip("\"'") == pattern
            continue
        if line.lstrip().startswith("["):
            inside = False
        if not inside:
            continue
        for key, value in counts.items():
            found = re.match(rf"^([ \t]*{key}[ \t]*=[ \t]*)(\"[^\"\n]*\"|'[^'\n]*'|[0-9_]+)", line)
            if found:
                lines[index] = line[: found.end(1)] + f"{value:_}" + line[found.end(2) :]
                done.add(key)
    if done != set(counts):
        raise FixError(f"cannot find {sorted(set(counts) - done)[0]} for {pattern!r} in pyproject.toml's own spelling")
    after = "".join(lines)
    _verify_pyproject(text, after, pattern, counts)
    return after


def _verify_pyproject(before: str, after: str, pattern: str, counts: dict[str, int]) -> None:
    """The edited pyproject must parse to the same settings with only these counts changed."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef, import-not-found, unused-ignore]
    try:
        old, new = tomllib.loads(before), tomllib.loads(after)
        entry = old["tool"]["param-lint"]["files"][pattern]
        entry.update(counts)
    except (tomllib.TOMLDecodeError, KeyError, TypeError):
        raise FixError("the edited pyproject.toml would not read back as the same settings") from None
    if old != new:
        raise FixError("the edited pyproject.toml would not read back as the same settings")


def _reread(settings: Settings, elsewhere: list[tuple[str, str, str]]) -> Settings:
    """Settings with a pyproject this run fixed read again, so the findings after --fix are true."""
    if not elsewhere:
        return settings
    from dataclasses import replace

    from .settings import from_table, read_pyproject

    source = elsewhere[0][0]
    from .rules import RULES

    files = from_table(read_pyproject(source), source=source, known_codes=RULES).get("files", ())
    kept = tuple(entry for entry in settings.files if entry.source != source)
    return replace(settings, files=kept + tuple(files))


def _may_declare_in_file(result: FileResult) -> bool:
    """Whether the file's format accepts an `expected_params` key (some frameworks reject unknown keys)."""
    dialect = dialect_named(result.dialect)
    return dialect is not None and dialect.declarations_in_file


def _spelled(value: int, format: str) -> str:
    return str(value) if format == "json" else f"{value:_}"


def _offset(text: str, mark: Mark) -> int:
    """The text offset of a 1-based line and column."""
    start = 0
    for _ in range(mark.line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            raise FixError(f"line {mark.line} is past the end of the file")
    return start + mark.column - 1


def _is_flow(document: Document) -> bool:
    """A top-level mapping written `{...}` (all JSON, and YAML written like JSON)."""
    return document.format == "json" or document.text[_offset(document.text, document.positions.at) :].startswith("{")


def _replace_value(document: Document, key: str, value: int) -> _Edit:
    text = document.text
    start = _offset(text, document.value_mark((key,)))
    return _Edit(start, _value_end(text, start, _is_flow(document)), _spelled(value, document.format))


def _value_end(text: str, start: int, flow: bool) -> int:
    """Where the scalar starting at `start` ends: a quoted string, or a plain token."""
    quote = text[start : start + 1]
    if quote in ('"', "'"):
        i = start + 1
        while i < len(text):
            if quote == '"' and text[i] == "\\":
                i += 2
                continue
            if text[i] == quote:
                if quote == "'" and text[i + 1 : i + 2] == "'":  # '' is an escaped quote in YAML
                    i += 2
                    continue
                return i + 1
            i += 1
        raise FixError("the value's closing quote is missing")
    stops = ("\n", "\r", " #", "\t#") + ((",", "}", "]") if flow else ())
    end = min((found for stop in stops if (found := text.find(stop, start)) != -1), default=len(text))
    return len(text[:end].rstrip()) if end > start else end


def _insert_key(document: Document, key: str, value: int) -> _Edit:
    if _is_flow(document):
        return _insert_member(document, key, value)
    return _insert_line(document, key, value)


def _insert_member(document: Document, key: str, value: int) -> _Edit:
    """`"key": value` as the last member of the top-level object, indented like its siblings."""
    text = document.text
    close = text.rfind("}")
    end = len(text[:close].rstrip())
    name = f'"{key}"' if document.format == "json" else key
    keys = document.positions.keys or {}
    last = max(keys.values(), default=document.positions.at)
    opening = _offset(text, document.positions.at)
    if "\n" in text[opening:close] and last.line != document.positions.at.line:
        line_start = _offset(text, Mark(last.line, 1))
        indent = text[line_start : line_start + len(text[line_start:]) - len(text[line_start:].lstrip(" \t"))]
        separator = "," + _newline(text) + indent
    else:
        separator = ", "
    if text[end - 1 : end] == "{":
        separator = separator.removeprefix(",").lstrip(" ")
    return _Edit(end, end, f"{separator}{name}: {_spelled(value, document.format)}")


def _insert_line(document: Document, key: str, value: int) -> _Edit:
    """A `key: value` line at the top level: after the `model:` block, before what follows it."""
    text = document.text
    keys = document.positions.keys or {}
    indent = " " * (document.positions.at.column - 1)
    lines = text.splitlines(keepends=True)
    model = keys.get("model")
    following = [mark.line for mark in keys.values() if model is not None and mark.line > model.line]
    line = min(following, default=len(lines) + 1)
    # Comments and blank lines just above the next key belong to it: insert above them.
    while line - 1 > (model.line if model else 0) and _is_gap(lines[line - 2], indent):
        line -= 1
    start = sum(len(piece) for piece in lines[: line - 1])
    newline = _newline(text)
    before = newline if start == len(text) and text and not text.endswith(("\n", "\r")) else ""
    return _Edit(start, start, f"{before}{indent}{key}: {_spelled(value, document.format)}{newline}")


def _is_gap(line: str, indent: str) -> bool:
    stripped = line.strip()
    return not stripped or (stripped.startswith("#") and len(line) - len(line.lstrip(" \t")) <= len(indent))


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _apply(text: str, edits: list[_Edit]) -> str:
    for edit in sorted(edits, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _verify(document: Document, after: str, findings: list, changes: dict[str, int]) -> Document:
    # `changes`: the keys of the file's data set by the fix (a directive's value is a comment)
    """Parse the new text: it must hold the old data with only `changes` applied."""
    reloaded = load_text(document.path, after, document.format)
    expected = {**document.data, **changes}
    if reloaded.document is None or reloaded.document.data != expected or len(reloaded.findings) != len(findings):
        raise FixError("the edited text would not read back as the same config (an unusual spelling?); fix it by hand")
    return reloaded.document


_WRITE_BITS = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH


def _write(path: str, original: bytes, data: bytes) -> None:
    """Write `data` over the file that held `original`; on any failure the original stays as it was."""
    target = os.path.realpath(path)  # a symlink keeps pointing at the fixed file
    try:
        info = os.stat(target)
    except OSError as error:
        raise FixError(error.strerror or str(error)) from None
    if not info.st_mode & _WRITE_BITS or not os.access(target, os.W_OK):
        raise FixError("the file is read-only; make it writable to let --fix change it")
    with _sigterm_raises():
        if info.st_nlink > 1:
            _write_in_place(target, original, data)
        else:
            _write_atomically(target, original, data, info)


def _write_atomically(target: str, original: bytes, data: bytes, info: os.stat_result) -> None:
    """A new file beside the old, then one rename; mode, owner and group carried over."""
    directory = os.path.dirname(target)
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise FixError(error.strerror or str(error)) from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.chmod(temporary, stat.S_IMODE(info.st_mode))
            mine = os.fstat(stream.fileno())
        if (mine.st_uid, mine.st_gid) != (info.st_uid, info.st_gid):
            try:
                os.chown(temporary, info.st_uid, info.st_gid)
            except PermissionError:  # not ours to give away: keep the file itself, write through it
                os.unlink(temporary)
                _write_in_place(target, original, data)
                return
        _unchanged(target, original)  # the last moment before the rename: a concurrent edit is not lost
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise FixError(error.strerror or str(error)) from None
        raise
    _sync_directory(directory)


def _write_in_place(target: str, original: bytes, data: bytes) -> None:
    """Through the same inode (hard links and owner kept), after a verified copy of the original."""
    directory = os.path.dirname(target)
    backup, keep_backup = None, False
    try:
        descriptor, backup = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".orig", dir=directory)
        with os.fdopen(descriptor, "w+b") as stream:
            stream.write(original)
            stream.flush()
            os.fsync(stream.fileno())
            stream.seek(0)
            if stream.read() != original:
                raise FixError("the copy of the original did not read back; nothing was written")
        with open(target, "r+b") as stream:
            if stream.read(len(original) + 1) != original:
                raise FixError("the file changed while it was being fixed")
            try:
                _overwrite(stream, data)
            except BaseException as failure:
                try:
                    _overwrite(stream, original)
                except OSError:
                    keep_backup = True
                    reason = getattr(failure, "strerror", None) or type(failure).__name__
                    raise FixError(
                        f"writing failed ({reason}) and so did restoring; the original is in {backup}"
                    ) from None
                raise
    except BaseException as error:
        if backup is not None and not keep_backup:
            with contextlib.suppress(OSError):
                os.unlink(backup)
        if isinstance(error, OSError):
            raise FixError(error.strerror or str(error)) from None
        raise
    with contextlib.suppress(OSError):
        os.unlink(backup)


def _overwrite(stream: BinaryIO, data: bytes) -> None:
    """The open file's whole content becomes `data`, on disk when this returns."""
    stream.seek(0)
    stream.write(data)
    stream.truncate()
    stream.flush()
    os.fsync(stream.fileno())


def _unchanged(target: str, original: bytes) -> None:
    with open(target, "rb") as stream:
        if stream.read(len(original) + 1) != original:
            raise FixError("the file changed while it was being fixed")


class _Terminated(SystemExit):
    """SIGTERM, raised where the process is so that cleanup runs (exit status 143, as the signal's)."""


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """While writing, SIGTERM raises instead of killing the process: no temporary file is left behind."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise _Terminated(128 + signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _sync_directory(directory: str) -> None:
    """Make the rename itself durable (best effort: not every platform opens directories)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
