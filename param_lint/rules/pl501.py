"""PL501: the checkpoint's parameter count differs from the config's.

**What it does.** Beside a Hugging Face `config.json`, reads the checkpoint's index
(`metadata.total_parameters`) or, without one, sums the shapes in the safetensors headers
(leaving out what is not a parameter: a second copy of a tied head, buffers), and compares
the total with the config's exact count.

**Why.** Weights saved from another configuration (one more layer, an untied head, another
vocabulary) load late with a shape error, or not at all. A quantized checkpoint packs its
weights, so its headers are not summed.

**Example.** A config for 6,738,415,616 parameters whose index says

    "metadata": {"total_parameters": 6607343616, ...}   # PL501: off by -131,072,000 (W_U)
"""

CODE = "PL501"
NAME = "checkpoint-params"
SEVERITY = "error"
SUMMARY = "the checkpoint's parameter total differs from the config's count"


def check(ctx):
    comparison = ctx.checkpoint
    if comparison is None:
        return
    checkpoint = comparison.checkpoint
    index = checkpoint.index
    extras = comparison.extras
    if index is not None and index.total_parameters is not None:
        total, source = index.total_parameters, "metadata.total_parameters"
        where = (index.path, "total_parameters")
        extra_params = sum(checkpoint.stored[n].numel for n in extras if n in checkpoint.stored)
        accepted = {comparison.params, comparison.params + extra_params}
    elif checkpoint.stored and not checkpoint.not_present and comparison.quantization is None:
        total = sum(s.numel for s in checkpoint.stored.values())
        total -= sum(checkpoint.stored[n].numel for n in extras if n in checkpoint.stored)
        source = "the safetensors headers"
        first = sorted(checkpoint.headers)[0]
        where = (checkpoint.headers[first].path, None)
        accepted = {comparison.params}
    else:
        return
    if total in accepted:
        return
    difference = total - comparison.params
    yield _finding(
        index,
        where,
        f"the checkpoint has {total:,} parameters ({source}) but the config gives {comparison.params:,}: "
        f"off by {difference:+,} ({difference / comparison.params:+.2%})" + _hint(comparison),
    )


def _hint(comparison):
    parts = []
    if comparison.missing:
        parts.append(f"{_tensors(len(comparison.missing))} missing (first: {comparison.missing[0]})")
    unknown = [n for n, what in comparison.unexpected if not what]
    if unknown:
        parts.append(f"{_tensors(len(unknown))} the config does not imply (first: {unknown[0]})")
    return "; " + ", ".join(parts) if parts else ""


def _tensors(count):
    return f"{count:,} tensor" + ("s" if count != 1 else "")


def _finding(index, where, message):
    from ..findings import Finding

    path, key = where
    line, column = index.mark(key, "metadata") if key else (1, 1)
    return Finding(path, line, column, CODE, message)
