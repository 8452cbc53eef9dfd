"""PL402: key/value heads (query groups) do not divide over the tensor-parallel ranks.

What it does
    With grouped-query attention, checks that the number of key/value heads
    (`num_query_groups`, GPT-NeoX `num_kv_heads`) is a multiple of the tensor-parallel size.

Why is this bad?
    Each tensor-parallel rank holds whole key/value heads: Megatron divides
    `num_query_groups` by the tensor-parallel size (and GPT-NeoX `num_kv_heads` by its
    model-parallel size) and stops at start-up when they do not divide.

Example
    model:
      num_attention_heads: 64
      num_query_groups: 8
      tensor_model_parallel_size: 16   # PL402: 8 query groups over 16 ranks; valid: 1, 2, 4, 8
"""

from ._launch import at, divisors, listed, parallel_of

CODE = "PL402"
NAME = "query-groups-per-tensor-rank"
SEVERITY = "error"
SUMMARY = "query groups (key/value heads) not divisible by the tensor-parallel size"


def check(ctx):
    p = parallel_of(ctx)
    if p is None or p.tensor <= 1 or not p.n_kv_head or p.n_kv_head == p.n_head:
        return
    if p.n_kv_head % p.tensor == 0:
        return
    valid = [d for d in divisors(p.n_kv_head) if not p.n_head or p.n_head % d == 0]
    yield ctx.finding(
        CODE,
        at(ctx, p, "tensor", "n_kv_head"),
        f"{p.name('n_kv_head')} ({p.n_kv_head}) is not divisible by {p.name('tensor')} ({p.tensor}): each "
        f"tensor-parallel rank holds whole key/value heads, so the job stops at start-up; valid {p.name('tensor')} "
        f"values: {listed(valid)}",
    )
