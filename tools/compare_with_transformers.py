"""Compare param-lint's counts with transformers' on any folder of Hugging Face config.json files.

What: runs param-lint (in this process) on every ``*.json`` under the folders given, then, for
each file it counts, builds the model the way tools/make_golden.py does (the class the file's
``architectures`` names, on the meta device) with each ``--python`` in turn until one builds
it, and prints one line per file:

    same       param-lint's total (and MoE active) equal transformers'
    DIFFERENT  they differ (exit status 1)
    unbuilt    no given transformers could build it (param-lint's count is unchecked)
    uncounted  param-lint does not count it (PL102 ...), with the first finding's code

Why: the tests hold one or two published configs per model type; this measures a sample of
what people publish, picked without regard to what param-lint supports (the survey in the
closing note of issue 11), and is how a user can check param-lint on their own configs.

    python tools/compare_with_transformers.py SURVEY_DIR \
        --python /work/scratch/venv-hf4/bin/python --python /work/scratch/venv-hf5/bin/python

Each ``--python`` is a virtualenv with torch and one transformers release (never needed at
lint time).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
# Run by each --python: one JSON line per file, {"path", "total", "active"} or {"path", "error"}.
DRIVER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from make_golden import count, refusal
for path in sys.argv[2:]:
    try:
        entry = count(json.load(open(path)))
        print(json.dumps({"path": path, "total": entry["total"], "active": entry.get("active")}), flush=True)
    except Exception as error:
        print(json.dumps({"path": path, "error": refusal(error)}), flush=True)
"""


def param_lint_counts(files: list[str]) -> dict[str, dict]:
    """param-lint's JSON entry for each file (in-process, settings ignored)."""
    from param_lint.cli import main as param_lint

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        param_lint(["--isolated", "--format", "json", *files])
    return {entry["path"]: entry for entry in json.loads(out.getvalue())["files"]}


def transformers_counts(pythons: list[str], files: list[str]) -> dict[str, dict]:
    """Each file's count from the first interpreter that builds it (else its last refusal)."""
    results: dict[str, dict] = {}
    pending = list(files)
    for python in pythons:
        if not pending:
            break
        run = subprocess.run([python, "-c", DRIVER, str(TOOLS), *pending], stdout=subprocess.PIPE, text=True)
        for line in run.stdout.splitlines():
            entry = json.loads(line)
            results[entry["path"]] = entry
        pending = [path for path in pending if "error" in results.get(path, {"error": ""})]
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--python", action="append", default=[], help="interpreter with torch + transformers")
    args = parser.parse_args(argv)
    files = sorted(str(path) for folder in args.folders for path in folder.rglob("*.json"))
    ours = param_lint_counts(files)
    counted = [path for path in files if ours.get(path, {}).get("params") is not None]
    theirs = transformers_counts(args.python, counted) if args.python else {}
    tally = {"same": 0, "DIFFERENT": 0, "unbuilt": 0, "uncounted": 0}
    for path in files:
        entry = ours.get(path, {})
        mine = (entry.get("params"), entry.get("active_params"))
        if mine[0] is None:
            codes = [d["code"] for d in entry.get("diagnostics", [])]
            verdict, detail = "uncounted", (codes[0] if codes else "skipped")
        elif "total" not in theirs.get(path, {}):
            verdict, detail = "unbuilt", theirs.get(path, {}).get("error", "no --python given")
        else:
            truth = (theirs[path]["total"], theirs[path]["active"])
            verdict = "same" if mine == truth else "DIFFERENT"
            detail = f"{mine[0]:,}" if verdict == "same" else f"param-lint {mine}, transformers {truth}"
        tally[verdict] += 1
        print(f"{verdict:<10} {Path(path).name}  {detail}")
    summary = ", ".join(f"{n} {verdict.lower()}" for verdict, n in tally.items())
    print(f"{len(files)} files: {summary}")
    return 1 if tally["DIFFERENT"] else 0


if __name__ == "__main__":
    sys.exit(main())
