"""PL507: the checkpoint's shards are not present, so only its index was checked.

**What it does.** A shard the index names that is a Git LFS pointer (a clone made without
`git lfs pull`, or with `GIT_LFS_SKIP_SMUDGE=1`) or is absent from the folder has no
header to read: names and `total_size` are still checked against the config, shapes are not.
A checkpoint beside a config of a family param-lint has no tensor names for yet is not
checked at all, and says so here, at `model_type`.

**Why.** Knowing what was not checked is part of the result. A pointer is not a corrupt
file, so it is not PL506.

**Example.** A repository cloned without its weights:

    model.safetensors.index.json:1:1: PL507 2 of 2 shards are Git LFS pointers or absent
        (model-00001-of-00002.safetensors, model-00002-of-00002.safetensors): tensor shapes not checked
"""

from ..findings import Finding

CODE = "PL507"
NAME = "checkpoint-not-present"
SEVERITY = "warning"
SUMMARY = "the checkpoint is not (fully) checked: shards that are Git LFS pointers or absent, a family without names"


def check(ctx):
    comparison = ctx.checkpoint
    if comparison is None:
        yield from _family_without_names(ctx)
        return
    if not comparison.checkpoint.not_present:
        return
    checkpoint = comparison.checkpoint
    absent = checkpoint.not_present
    total = len(absent) + len(checkpoint.headers)
    path = checkpoint.index.path if checkpoint.index is not None else checkpoint.folder
    listed = ", ".join(absent[:2]) + (", ..." if len(absent) > 2 else "")
    yield Finding(
        path,
        1,
        1,
        CODE,
        f"{len(absent)} of {total} shards are Git LFS pointers or absent ({listed}): tensor shapes not checked",
    )


def _family_without_names(ctx):
    import os

    from ..checkpoint import family_of, holds_checkpoint

    config = ctx.config
    if config is None or config.dialect != "huggingface" or family_of(config) is not None:
        return
    if holds_checkpoint(os.path.dirname(ctx.path) or "."):
        message = (
            f"the checkpoint beside this config is not checked: no tensor names for model_type {config.family} yet"
        )
        yield ctx.finding(CODE, ("model_type",), message)
