"""PL405: the sequence does not split into 2 x context-parallel chunks.

What it does
    With context parallelism (`context_parallel_size` > 1), checks that the sequence
    length is a multiple of 2 x `context_parallel_size`.

Why is this bad?
    Context parallelism cuts each sequence into 2 x CP chunks and gives every rank one
    early and one late chunk, so causal attention costs the same on each; a sequence that
    does not split evenly stops the job (or its first batch).

Example
    model:
      encoder_seq_length: 4100
      context_parallel_size: 4   # PL405: 4100 is not a multiple of 8; valid: 4096 or 4104
"""

from ._launch import at, divisors, listed, nearest_multiples, parallel_of

CODE = "PL405"
NAME = "sequence-per-context-rank"
SEVERITY = "error"
SUMMARY = "sequence length not divisible by 2 x the context-parallel size"
MAX_CP = 64  # context-parallel sizes listed as valid go up to this


def check(ctx):
    p = parallel_of(ctx)
    if p is None or p.context <= 1 or not p.seq_length:
        return
    chunks = 2 * p.context
    if p.seq_length % chunks == 0:
        return
    valid_cp = [d for d in divisors(p.seq_length) if p.seq_length % (2 * d) == 0 and d <= MAX_CP]
    yield ctx.finding(
        CODE,
        at(ctx, p, "seq_length", "context"),
        f"{p.name('seq_length')} ({p.seq_length:,}) is not divisible by 2 x {p.name('context')} = {chunks}: context "
        f"parallelism splits each sequence into 2 x CP equal chunks; valid {p.name('seq_length')} values near it: "
        f"{nearest_multiples(p.seq_length, chunks)}; valid {p.name('context')} values up to {MAX_CP}: "
        f"{listed(valid_cp) or 'none'}",
    )
