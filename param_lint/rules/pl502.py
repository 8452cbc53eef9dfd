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

from ..checkpoint.safetensors import DTYPE_BITS
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

    def where():
        return (index.path, *index.mark("total_size", "metadata"))

    if not checkpoint.not_present and checkpoint.headers and not checkpoint.problems:
        in_headers = sum(entry.nbytes for entry in checkpoint.stored.values())
        if in_headers != index.total_size:
            message = f"metadata.total_size is {index.total_size:,} bytes but the shards' headers hold {in_headers:,}"
            yield Finding(*where(), CODE, message)
            return
    per_param = comparison.dtype_bytes
    if per_param is None:
        return
    # Each tensor at the dtype its header gives, or the config's where no header holds it:
    # the headers' bytes less those of tensors the config does not imply, corrected for
    # wrong shapes, plus the config's tensors no header holds (missing, or index only).
    tensors, stored = comparison.expected.tensors, checkpoint.stored
    not_implied = comparison.extras | {n for n, what in comparison.unexpected if not what}
    bits = 8 * sum(entry.nbytes for entry in stored.values())
    bits -= 8 * sum(stored[n].nbytes for n in not_implied if n in stored)
    for mismatch in comparison.mismatched:
        entry = stored[mismatch.name]
        bits += (mismatch.expected.numel - entry.numel) * DTYPE_BITS[entry.dtype]
    canonical = comparison.canonical
    held = stored.keys() if not canonical else {canonical.get(n, n) for n in stored}
    bits += 8 * per_param * sum(tensors[n].numel for n in tensors.keys() - held)
    expected = bits // 8
    extras = 0
    for name in sorted(not_implied):
        entry = stored.get(name)
        size = entry.nbytes if entry is not None else _known_size(comparison, name)
        if size is None:
            return  # a tensor of unknown size: nothing certain to say
        extras += size
    if index.total_size == expected + extras:
        return
    dtype = ctx.document.data.get("torch_dtype") or ctx.document.data.get("dtype")
    besides = f" plus {extras:,} bytes of other tensors it holds ({expected + extras:,})" if extras else ""
    yield Finding(
        *where(),
        CODE,
        f"metadata.total_size is {index.total_size:,} bytes but the config's {comparison.params:,} parameters "
        f"at {dtype} are {expected:,} bytes{besides}: "
        f"off by {index.total_size - expected - extras:+,}",
    )


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
