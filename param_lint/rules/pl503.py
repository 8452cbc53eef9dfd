"""PL503: a tensor the config implies is missing from the checkpoint.

**What it does.** Names every weight transformers would build from the config, as its
state dict names it (`model.layers.0.self_attn.k_proj.weight` ...), and reports those
the checkpoint's index and headers lack. Tensors missing in every layer are one finding.

**Why.** transformers fills a missing weight with random values and only warns: a
checkpoint without its `lm_head` (the config says untied), or without the layers the
config counts, trains or serves the wrong model without failing.

**Example.** `"tie_word_embeddings": false` in config.json and no `lm_head.weight` in the
weight_map:

    model.safetensors.index.json:5:3: PL503 tensor lm_head.weight (32000, 4096) is missing
"""

from ..checkpoint.compare import grouped, more
from ..findings import Finding

CODE = "PL503"
NAME = "checkpoint-missing-tensor"
SEVERITY = "error"
SUMMARY = "a tensor the config implies is missing from the checkpoint"


def check(ctx):
    comparison = ctx.checkpoint
    if comparison is None or not comparison.missing:
        return
    checkpoint = comparison.checkpoint
    if checkpoint.index is not None:
        where = (checkpoint.index.path, *checkpoint.index.mark("weight_map", "{"))
    elif checkpoint.headers:
        where = (checkpoint.headers[sorted(checkpoint.headers)[0]].path, 1, 1)
    else:
        return
    tensors = comparison.expected.tensors
    for name, shape, count in grouped([(name, tensors[name].shape) for name in comparison.missing]):
        yield Finding(*where, CODE, f"tensor {name} {shape} is missing{more(count, name)}")
