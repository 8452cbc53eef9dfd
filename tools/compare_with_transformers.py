"""Compare param-lint's counts with transformers' on any folder of Hugging Face config.json files.

What: runs param-lint (in this process) on every ``*.json`` under the folders given, then, for
each file it counts, builds the model the way tools/make_golden.py does (the class the file's
``architectures`` names, on the meta device) with each ``--python`` in turn until one builds
it, and prints one line per file:

    same       param-lint's total (and MoE active) equal transformers' (where the first release
               differs and a later one agrees, the line says both)
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
import make_golden_composite
for path in sys.argv[2:]:
    try:
        fields = json.load(open(path))
        # a composite's expert count and top-k live in its text config
        entry = (make_golden_composite.count if "text_config" in fields else count)(fields)
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


def run_driver(python: str, files: list[str]) -> dict[str, dict]:
    """One interpreter's count (or refusal) for each file, tagged with the interpreter."""
    run = subprocess.run([python, "-c", DRIVER, str(TOOLS), *files], stdout=subprocess.PIPE, text=True)
    return {entry["path"]: {**entry, "python": python} for entry in map(json.loads, run.stdout.splitlines())}


def transformers_counts(pythons: list[str], files: list[str]) -> dict[str, dict]:
    """Each file's count from the first interpreter that builds it (else its last refusal)."""
    results: dict[str, dict] = {}
    pending = list(files)
    for python in pythons:
        if pending:
            results.update(run_driver(python, pending))
            pending = [path for path in pending if "error" in results.get(path, {"error": ""})]
    return results


def release(python: str) -> str:
    """The transformers version an interpreter has (for the report)."""
    code = "import transformers; print(transformers.__version__)"
    return subprocess.run([python, "-c", code], stdout=subprocess.PIPE, text=True).stdout.strip() or python


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--python", action="append", default=[], help="interpreter with torch + transformers")
    args = parser.parse_args(argv)
    files = sorted(str(path) for folder in args.folders for path in folder.rglob("*.json"))
    ours = param_lint_counts(files)
    counted = [path for path in files if ours.get(path, {}).get("params") is not None]
    theirs = transformers_counts(args.python, counted) if args.python else {}
    for path, entry in list(theirs.items()):  # where releases disagree, the file may mean a later one's
        mine = (ours[path]["params"], ours[path].get("active_params"))
        if "total" in entry and (entry["total"], entry["active"]) != mine:
            later = args.python[args.python.index(entry["python"]) + 1 :]
            for other in (run_driver(python, [path]).get(path, {}) for python in later):
                if (other.get("total"), other.get("active")) == mine:
                    first = f"{release(entry['python'])} counts {entry['total']:,}"
                    other["note"] = f"as transformers {release(other['python'])}; {first}"
                    theirs[path] = other
                    break
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
            detail += f" ({theirs[path]['note']})" if "note" in theirs[path] else ""
        tally[verdict] += 1
        print(f"{verdict:<10} {Path(path).name}  {detail}")
    summary = ", ".join(f"{n} {verdict.lower()}" for verdict, n in tally.items())
    print(f"{len(files)} files: {summary}")
    return 1 if tally["DIFFERENT"] else 0


if __name__ == "__main__":
    sys.exit(main())
