"""How param-lint fares on a folder of real configs: files failing, skipped, counted.

What: runs `param-lint --isolated --format json [--skip-non-configs] DIR` in this process and
tallies each YAML/JSON file under DIR: skipped (passed over as not a model config), failing
(an error finding), warned, counted (an exact count), and the codes that fail files.
Why: the closing numbers of the "safe in any ML repository" work, measured the same way
before and after a change (run it from a checkout of each version).

    python tools/corpus_report.py ../shared/framework-configs            # as the hook runs
    python tools/corpus_report.py --plain ../shared/framework-configs    # files named explicitly
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from collections import Counter
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("--plain", action="store_true", help="without --skip-non-configs")
    parser.add_argument("--verbose", action="store_true", help="one line per file")
    args = parser.parse_args(argv)

    from param_lint.cli import main as param_lint

    files = sorted(str(p) for p in Path(args.folder).rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    options = ["--isolated", "--format", "json"] + ([] if args.plain else ["--skip-non-configs"])
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        param_lint([*options, *files])
    reported = {entry["path"]: entry for entry in json.loads(out.getvalue())["files"]}
    tally: Counter[str] = Counter()
    failing_codes: Counter[str] = Counter()
    for path in files:
        entry = reported.get(path)
        if entry is None:
            state = "skipped"
        else:
            errors = sorted({d["code"] for d in entry["diagnostics"] if d["severity"] == "error"})
            warnings = sorted({d["code"] for d in entry["diagnostics"] if d["severity"] == "warning"})
            failing_codes.update(errors)
            state = "failing" if errors else "counted" if entry["params"] is not None else "warned"
            tally["counted (any)"] += entry["params"] is not None
            if args.verbose:
                codes = " ".join(errors + warnings)
                print(f"{state:8} {entry.get('dialect') or '-':12} {entry['params']!s:>16} {codes}  {path}")
        if args.verbose and entry is None:
            print(f"skipped  {'-':12} {'':>16}   {path}")
        tally[state] += 1
    print(f"{len(files)} files: " + ", ".join(f"{n} {state}" for state, n in sorted(tally.items())))
    print("codes failing files: " + (", ".join(f"{c} x{n}" for c, n in failing_codes.most_common()) or "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
