"""`# param-lint: ...` comment directives: suppressions and declarations, parsed strictly.

A directive is a YAML comment whose text starts with `param-lint:` followed by items:

    # param-lint: disable                 this line's findings, every code
    # param-lint: disable=PL303,PL301     this line's findings with these codes
    # param-lint: disable-file[=CODES]    the whole file's (every code, or these)
    # param-lint: expected_params=6.74B tolerance=0 n_vocab=32000 tensor_parallel=8

Only exact items count: a mistyped one (`disable-file: PL303`, `disable=pl301`, `disabled`)
suppresses nothing and declares nothing, and is reported (PL103) so it can be corrected.
Only real comments count: the same text inside a quoted or block string is data, and JSON has
no comments at all. Declarations here stand in for keys a format cannot carry (frameworks
that reject unknown keys); a key in the file itself wins over a directive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .findings import Finding, Mark

DECLARATION_KEYS = ("expected_params", "expected_active_params", "tolerance", "n_vocab", "tensor_parallel")

_DIRECTIVE = re.compile(r"#[ \t]*param-lint:")
_CODE = re.compile(r"PL[0-9]{3}")


@dataclass(frozen=True)
class Declaration:
    """One `key=value` item of a directive, with the position of its value (for --fix)."""

    key: str
    value: str
    mark: Mark  # where the value starts
    end: Mark  # just past the value


@dataclass
class Directives:
    """What a file's directives say."""

    line_codes: dict[int, frozenset[str] | None] = field(default_factory=dict)  # None: every code
    file_codes: frozenset[str] | None = frozenset()  # disable-file; None: every code
    declarations: dict[str, Declaration] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)  # PL103

    def silences(self, finding: Finding) -> bool:
        if self.file_codes is None or finding.code in self.file_codes:
            return True
        if finding.line in self.line_codes:
            codes = self.line_codes[finding.line]
            return codes is None or finding.code in codes
        return False


NONE = Directives()


def parse(path: str, text: str, format: str, known_codes: frozenset[str]) -> Directives:
    """Every directive in the comments of `text` (a YAML or JSON file's text)."""
    if format == "json" or "param-lint:" not in text:
        return NONE
    found = Directives()
    for line_number, column, items in _comments(text):
        _parse_items(found, path, line_number, column, items, known_codes)
    return found


def _comments(text: str):
    """(line, column of the item text, item text) of each `# param-lint:` that is a real comment."""
    lines = text.splitlines()
    last = max((n for n, line in enumerate(lines, start=1) if _DIRECTIVE.search(line)), default=0)
    strings = _string_lines(text, last)
    for number, line in enumerate(lines, start=1):
        for match in _DIRECTIVE.finditer(line):
            start = match.start()
            if start and line[start - 1] not in " \t":
                continue  # `a#param-lint:` is part of a plain scalar, not a comment
            if (number, start) in strings or _inside_quotes(line[:start]):
                continue
            items = line[match.end() :]
            comment = re.search(r"[ \t]#", items)  # `# param-lint: disable=PL303  # why` ends at the next comment
            yield number, match.end() + 1, items[: comment.start()] if comment else items
            break


def _inside_quotes(before: str) -> bool:
    """Whether a `#` after `before` on the same line sits inside a quoted YAML string."""
    quote = ""
    i = 0
    while i < len(before):
        char = before[i]
        if quote == '"' and char == "\\":
            i += 2
            continue
        if quote and char == quote:
            if quote == "'" and before[i + 1 : i + 2] == "'":
                i += 2
                continue
            quote = ""
        elif not quote and char in "'\"" and (i == 0 or before[i - 1] in " \t:[{,-"):
            quote = char
        elif not quote and char == "#" and (i == 0 or before[i - 1] in " \t"):
            return False  # an earlier comment already started: what follows is comment text
        i += 1
    return bool(quote)


def _string_lines(text: str, last_line: int) -> set[tuple[int, int]]:
    """(line, column) of `#` characters up to `last_line` that lie inside multi-line scalars
    (block or quoted).

    Those lines look like comments to a line scanner but are string data. Only files that
    mention `param-lint:` get here, so scanning their tokens costs nothing elsewhere. The
    scanner reads forward only, so the text up to the last directive line decides them (a
    directive usually heads the file); a scalar cut open there is a scanner error, and then
    the whole text is scanned.
    """
    import yaml

    cut = 0
    for _ in range(last_line):
        cut = text.find("\n", cut) + 1
        if not cut:
            return _scalar_hashes(text)
    try:
        return _scalar_hashes(text[:cut], strict=True)
    except yaml.YAMLError:  # a scalar (or a key) left open by the cut
        return _scalar_hashes(text)


def _scalar_hashes(text: str, strict: bool = False) -> set[tuple[int, int]]:
    """(line, column) of the `#` characters inside multi-line scalar tokens of `text`; a
    scanner error ends the scan (raised when `strict`)."""
    import yaml

    inside: set[tuple[int, int]] = set()
    try:
        # libyaml's scanner when present: the same tokens and marks, at a tenth of the pure-Python one's cost
        for token in yaml.scan(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            if isinstance(token, yaml.ScalarToken) and token.end_mark.line > token.start_mark.line:
                for offset, char in enumerate(text[token.start_mark.index : token.end_mark.index]):
                    if char == "#":
                        position = token.start_mark.index + offset
                        line = text.count("\n", 0, position)
                        column = position - (text.rfind("\n", 0, position) + 1)
                        inside.add((line + 1, column))
    except yaml.YAMLError:
        if strict:
            raise
        # the loader reports the broken YAML; line-level quoting still applies
    return inside


def _parse_items(found: Directives, path: str, line: int, column: int, items: str, known_codes: frozenset[str]) -> None:
    """Record one directive's items, or report it whole when any item is not exact."""
    parsed: list[tuple[str, str | None, int]] = []
    offset = 0
    for word in items.split():
        start = items.index(word, offset)
        offset = start + len(word)
        key, equals, text = word.partition("=")
        problem = _problem(key, equals, text, known_codes)
        if problem:
            found.problems.append(Finding(path, line, column + start, "PL103", problem, "warning"))
            return
        parsed.append((key, text if equals else None, start))
    if not parsed:
        found.problems.append(Finding(path, line, column, "PL103", "an empty param-lint directive", "warning"))
        return
    for key, value, start in parsed:
        if key in ("disable", "disable-file"):
            codes = frozenset(value.split(",")) if value is not None else None
            if key == "disable":
                found.line_codes[line] = codes
            elif codes is None or found.file_codes is None:
                found.file_codes = None
            else:
                found.file_codes = found.file_codes | codes
        else:
            assert value is not None
            begin = Mark(line, column + start + len(key) + 1)
            found.declarations[key] = Declaration(key, value, begin, Mark(line, begin.column + len(value)))


def _problem(key: str, equals: str, value: str, known_codes: frozenset[str]) -> str:
    """Why an item is not an exact directive ('' when it is one)."""
    if key in ("disable", "disable-file"):
        if not equals:
            return ""
        codes = value.split(",")
        for code in codes:
            if not _CODE.fullmatch(code):
                return f"{key}={value}: {code!r} is not a rule code such as PL303 (upper case, no spaces)"
            if code not in known_codes:
                return f"{key}={value}: unknown rule code {code!r}; `param-lint rules` lists them"
        return ""
    if key in DECLARATION_KEYS:
        return "" if equals and value else f"{key} needs a value: {key}=..."
    known = "disable, disable=CODES, disable-file, disable-file=CODES, " + ", ".join(
        f"{k}=..." for k in DECLARATION_KEYS
    )
    return f"unknown param-lint directive {key + equals + value!r}; known: {known}"
