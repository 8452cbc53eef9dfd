"""PL502: the checkpoint's `total_size` disagrees with the config's count at its dtype.

**What it does.** `metadata.total_size` in `model.safetensors.index.json` (or
`pytorch_model.bin.index.json`) is the byte size of every tensor. Without quantization it
must equal the config's parameters at the bytes of `torch_dtype` (each tensor at the dtype
its header gives, where the headers can be read), plus the tensors the checkpoint holds
besides (a tied head's copy, rotary `inv_freq` buffers ...) where their size is known.
With readable headers it must also equal what the headers hold.

**Why.** A size that matches neither is a checkpoint exported from another config, a
different dtype than the config declares, or a hand-edited index.

**Example.** Llama-2-7B (6,738,415,616 parameters) in bfloat16 is 13,476,831,232 bytes:

    "metadata": {"total_size": 26953662464}   # PL502: that is float32, not bfloat16
"""

from ..findings import Finding

CODE = "PL502"
NAME = "checkpoint-size"
SEVERITY = "error"
SUMMARY = "total_size disagrees with the count at the config's dtype"


def check(ctx):
    comparison = ctx.checkpoint
    if comparison is None or comparison.quantization is not None:
        return
    checkpoint, index = comparison.checkpoint, comparison.checkpoint.index
    if index is None or index.total_size is None:
        return
    where = (index.path, *index.mark("total_size", "metadata"))
    readable = not checkpoint.not_present and checkpoint.headers and not checkpoint.problems
    if readable:
        held = sum(s.nbytes or 0 for s in checkpoint.stored.values())
        if held != index.total_size:
            yield Finding(
                *where, CODE, f"metadata.total_size is {index.total_size:,} bytes but the shards' headers hold {held:,}"
            )
            return
    per_param = comparison.dtype_bytes
    if per_param is None:
        return
    expected = 0
    for name, tensor in comparison.expected.tensors.items():
        stored = checkpoint.stored.get(_stored_name(comparison, name))
        bytes_each = stored.nbytes // max(stored.numel, 1) if stored and stored.nbytes and stored.numel else per_param
        numel = 1
        for dim in tensor.shape:
            numel *= dim
        expected += numel * bytes_each
    extras = 0
    for name in sorted(comparison.extras):
        stored = checkpoint.stored.get(name)
        size = stored.nbytes if stored is not None else _known_size(comparison, name)
        if size is None:
            return  # a tensor of unknown size: nothing certain to say
        extras += size
    for name, what in comparison.unexpected:
        if not what:
            stored = checkpoint.stored.get(name)
            if stored is None or stored.nbytes is None:
                return
            extras += stored.nbytes
    if index.total_size == expected + extras:
        return
    dtype = ctx.document.data.get("torch_dtype") or ctx.document.data.get("dtype")
    besides = f" plus {extras:,} bytes of other tensors it holds" if extras else ""
    yield Finding(
        *where,
        CODE,
        f"metadata.total_size is {index.total_size:,} bytes but the config's {comparison.params:,} parameters "
        f"at {dtype} are {expected:,} bytes{besides} ({expected + extras:,}): "
        f"off by {index.total_size - expected - extras:+,}",
    )


def _stored_name(comparison, name):
    if name in comparison.checkpoint.stored:
        return name
    base = comparison.expected.base
    return name[len(base) :] if base and name.startswith(base) else name


def _known_size(comparison, name):
    """Bytes of a recognised tensor the headers cannot tell: a tied copy at the config's
    dtype, an inv_freq buffer (float32, d_head/2)."""
    canonical = comparison.canonical.get(name, name)
    if canonical in comparison.expected.copies and comparison.dtype_bytes:
        rows, width = comparison.expected.copies[canonical]
        return rows * width * comparison.dtype_bytes
    if name.endswith("inv_freq"):
        data = comparison.data
        factor = data.get("partial_rotary_factor") or data.get("rotary_pct") or 1.0
        return int(comparison.arch.d_head * factor) // 2 * 4
    return None
