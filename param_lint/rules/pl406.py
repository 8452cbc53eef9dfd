"""PL406: with sequence parallelism, the sequence does not split over the tensor-parallel ranks.

What it does
    When `sequence_parallel` is on and the tensor-parallel size is above 1, checks that
    the sequence length (per context-parallel rank) is a multiple of the tensor-parallel size.

Why is this bad?
    Sequence parallelism shards the activations outside attention and the MLP along the
    sequence over the tensor-parallel ranks; Megatron's scatter to the sequence-parallel
    region needs equal shards and fails at the first step otherwise.

Example
    model:
      encoder_seq_length: 2050
      tensor_model_parallel_size: 4
      sequence_parallel: true   # PL406: 2050 tokens over 4 ranks; valid: 2048 or 2052
"""

from ._launch import at, divisors, listed, nearest_multiples, parallel_of

CODE = "PL406"
NAME = "sequence-per-tensor-rank"
SEVERITY = "error"
SUMMARY = "sequence length not divisible by the tensor-parallel size under sequence parallelism"


def check(ctx):
    p = parallel_of(ctx)
    if p is None or not p.sequence_parallel or p.tensor <= 1 or not p.seq_length:
        return
    context = max(p.context, 1)
    if p.seq_length % context:  # PL405's finding; the local length is not defined
        return
    local = p.seq_length // context
    if local % p.tensor == 0:
        return
    per_rank = (
        f" ({p.seq_length:,} / {p.name('context')} {context} = {local:,} per context rank)" if context > 1 else ""
    )
    yield ctx.finding(
        CODE,
        at(ctx, p, "sequence_parallel", "seq_length"),
        f"{p.name('seq_length')} ({p.seq_length:,}){per_rank} is not divisible by {p.name('tensor')} ({p.tensor}): "
        "sequence parallelism shards the sequence over the tensor-parallel ranks; valid "
        f"{p.name('seq_length')} values near it: {nearest_multiples(p.seq_length, p.tensor * context)}; valid "
        f"{p.name('tensor')} values: {listed(divisors(local))}",
    )
