"""PL401: attention heads do not divide over the tensor-parallel ranks.

What it does
    Checks that the number of attention heads is a multiple of the tensor-parallel size
    (`tensor_model_parallel_size` in Megatron and NeMo, `model_parallel_size` in GPT-NeoX).

Why is this bad?
    Tensor parallelism gives each rank an equal share of the heads (Megatron's
    `divide(num_attention_heads, world_size)`); an uneven split stops the job at start-up,
    after it has waited in the queue for its GPUs.

Example
    model:
      num_attention_heads: 96
      tensor_model_parallel_size: 5   # PL401: 96 heads over 5 ranks; valid: 1, 2, 3, 4, 6, 8, 12 ...
"""

from ._launch import at, divisors, listed, parallel_of

CODE = "PL401"
NAME = "heads-per-tensor-rank"
SEVERITY = "error"
SUMMARY = "attention heads not divisible by the tensor-parallel size"


def check(ctx):
    p = parallel_of(ctx)
    if p is None or p.tensor <= 1 or not p.n_head or p.n_head % p.tensor == 0:
        return
    yield ctx.finding(
        CODE,
        at(ctx, p, "tensor", "n_head"),
        f"{p.name('n_head')} ({p.n_head}) is not divisible by {p.name('tensor')} ({p.tensor}): each tensor-parallel "
        f"rank holds an equal share of the heads, so the job stops at start-up; valid {p.name('tensor')} values: "
        f"{listed(divisors(p.n_head))}",
    )
