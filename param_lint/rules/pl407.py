"""PL407: attention heads are not a multiple of the key/value heads (query groups).

What it does
    In a training framework's config, checks that the number of attention heads is a
    multiple of the number of key/value heads (`num_query_groups`, GPT-NeoX `num_kv_heads`).

Why is this bad?
    Grouped-query attention gives each key/value head an equal group of query heads;
    Megatron and GPT-NeoX divide one by the other when they build the attention and stop
    at start-up otherwise. (For param-lint's own format and Hugging Face configs, PL303
    reports the same inconsistency as a warning.)

Example
    model:
      num_attention_heads: 32
      num_query_groups: 6   # PL407: 32 heads in 6 groups; valid: 1, 2, 4, 8, 16, 32
"""

from ._launch import at, divisors, listed, parallel_of

CODE = "PL407"
NAME = "heads-per-query-group"
SEVERITY = "error"
SUMMARY = "attention heads not divisible by the key/value heads"


def check(ctx):
    p = parallel_of(ctx)
    if p is None or not p.n_head or not p.n_kv_head or p.n_head % p.n_kv_head == 0:
        return
    yield ctx.finding(
        CODE,
        at(ctx, p, "n_kv_head", "n_head"),
        f"{p.name('n_head')} ({p.n_head}) is not divisible by {p.name('n_kv_head')} ({p.n_kv_head}): each key/value "
        f"head serves an equal group of query heads, so the job stops at start-up; valid {p.name('n_kv_head')} "
        f"values: {listed(divisors(p.n_head))}",
    )
