"""Write a generated file, or with --check say whether the committed one is up to date.

Shared by the tools that record reference data (tensor names, saved names, remote-code
goldens): the tests read those files, so a stale one must be visible in CI-like runs.
"""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(path: Path, text: str, check: bool) -> int:
    """0 when written or up to date; 1 when --check finds `path` stale."""
    if check:
        same = path.exists() and path.read_text() == text
        print(f"{path} is {'up to date' if same else 'stale'}", file=sys.stderr)
        return 0 if same else 1
    path.write_text(text)
    print(f"wrote {path} ({len(text):,} bytes)", file=sys.stderr)
    return 0
