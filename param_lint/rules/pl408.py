"""PL408: the hidden size is not a multiple of the heads, and no head width is given.

What it does
    In a training framework's config that does not set the head width (`kv_channels`),
    checks that `hidden_size` is a multiple of `num_attention_heads`.

Why is this bad?
    Without `kv_channels`, the head width is `hidden_size / num_attention_heads`:
    Megatron-LM asserts that it divides, GPT-NeoX's `divide` stops, and megatron-core alone
    silently rounds it down (a model narrower than intended). Give `kv_channels`, or change
    the heads.

Example
    model:
      hidden_size: 1000
      num_attention_heads: 16   # PL408: 1000 / 16 is not whole; valid: 1, 2, 4, 5, 8, 10, 20, 25 ...
"""

from ._launch import at, divisors, listed, parallel_of

CODE = "PL408"
NAME = "hidden-per-head"
SEVERITY = "error"
SUMMARY = "hidden size not divisible by the attention heads (no head width given)"


def check(ctx):
    p = parallel_of(ctx)
    if p is None or p.d_head_given or not p.n_head or not p.d_model or p.d_model % p.n_head == 0:
        return
    given = " or set kv_channels" if "d_head" in p.names else ""
    yield ctx.finding(
        CODE,
        at(ctx, p, "n_head", "d_model"),
        f"{p.name('d_model')} ({p.d_model:,}) is not divisible by {p.name('n_head')} ({p.n_head}) and no head width "
        f"is given: the head width is {p.name('d_model')} / {p.name('n_head')}; valid {p.name('n_head')} values: "
        f"{listed(divisors(p.d_model))}{given}",
    )
