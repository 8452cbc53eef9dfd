"""PL506: a checkpoint file cannot be read, or is hostile or inconsistent.

**What it does.** Reads `model.safetensors.index.json` / `pytorch_model.bin.index.json`
and the header of each safetensors shard as untrusted input, with bounded reads (never the
tensor data, never a memory map), and reports: an unreadable file; a header length beyond
the file or beyond the format's 100 MB limit; a header or index that is not valid JSON; a
tensor named twice; a dtype the format does not define; a shape that is not a list of
sizes; data offsets outside the data, overlapping another tensor's, or not the size dtype
and shape need; a shard name that is not a plain file name; and an index and headers that
disagree on which tensors a shard holds.

**Why.** A truncated upload, a hand-edited index or a crafted file should be a finding
with its file and position, before a training job reads it, never a crash of the checker.

**Example.** A shard cut short by an interrupted upload:

    model-00002-of-00002.safetensors:1:1: PL506 the header length 1,234,567 runs past the end of the 4,096-byte file
"""

from ..findings import Finding

CODE = "PL506"
NAME = "checkpoint-unreadable"
SEVERITY = "error"
SUMMARY = "a checkpoint index or safetensors header is unreadable, hostile or inconsistent"


def check(ctx):
    comparison = ctx.checkpoint
    if comparison is None:
        return
    for problem in comparison.checkpoint.problems:
        yield Finding(problem.path, problem.line, problem.column, CODE, problem.message)
