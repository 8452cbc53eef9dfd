"""PL404: experts do not divide over the expert-parallel ranks.

What it does
    Checks that the number of experts (`num_moe_experts`) is a multiple of the
    expert-parallel size (`expert_model_parallel_size`).

Why is this bad?
    Expert parallelism places an equal number of whole experts on each rank; Megatron
    asserts `num_moe_experts % expert_model_parallel_size == 0` at start-up.

Example
    model:
      num_moe_experts: 8
      expert_model_parallel_size: 3   # PL404: 8 experts over 3 ranks; valid: 1, 2, 4, 8
"""

from ._launch import at, divisors, listed, parallel_of

CODE = "PL404"
NAME = "experts-per-expert-rank"
SEVERITY = "error"
SUMMARY = "experts not divisible by the expert-parallel size"


def check(ctx):
    p = parallel_of(ctx)
    if p is None or p.expert <= 1:
        return
    if not p.n_expert:
        yield ctx.finding(
            CODE,
            at(ctx, p, "expert"),
            f"{p.name('expert')} is {p.expert} but the model has no experts ({p.name('n_expert')} is not set): "
            "expert parallelism needs a mixture of experts, so the job stops at start-up; valid value: 1",
        )
        return
    if p.n_expert % p.expert:
        yield ctx.finding(
            CODE,
            at(ctx, p, "expert", "n_expert"),
            f"{p.name('n_expert')} ({p.n_expert}) is not divisible by {p.name('expert')} ({p.expert}): each "
            f"expert-parallel rank holds the same number of whole experts, so the job stops at start-up; valid "
            f"{p.name('expert')} values: {listed(divisors(p.n_expert))}",
        )
