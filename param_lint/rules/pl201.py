"""PL201: the parameter count differs from `expected_params` beyond the tolerance.

The count is exact (see `param-lint --breakdown FILE`). The tolerance is the file's
`tolerance`, else `--tolerance` or `[tool.param-lint] tolerance`, else 1%. A MoE config
may declare `expected_active_params` too. A count may also be declared in a comment
directive (`# param-lint: expected_params=6.74B`) or per path in pyproject
(`[tool.param-lint.files."GLOB"]`); a key in the file wins over a directive, which wins
over pyproject.

The finding says why the number is off when it can (up to three explanations, exact
fits alone when there are any, else closest first at the precision the number was
written with, simplest first):

Known mistakes, each a what-if counted by the same counter, singly and in pairs
(`first+second`): wo_shape (W_O as (n_head*d_head, d_head)), no_attn_bias /
extra_attn_bias, mlp_bias_default (with or without MLP biases: a framework default
such as GPT-NeoX's use_bias_in_mlp), no_norms / extra_norms, tied_head / untied_head
(the unembedding counted once too few or too many; also a trainer that ties or unties
against the model's config), no_position, mha_for_gqa (K and V counted as wide as Q),
gqa_for_mha (counted with 1, 2, 4, 8 or 16 KV heads the model does not have),
ungated_mlp / gated_mlp, ffn_convention (d_ff read by another convention: 2/3 of it,
Llama's rounding to 256, half or twice it for the two gated branches, GPT-NeoX's rule,
or the number the file writes where its format reads another), vocab_padding (padded
to 64, or to 128 x a tensor-parallel size of 1, 2, 4 or 8), attn_width (n_head*d_head
taken as d_model), active_for_total, non_embedding, bytes_not_params, unit_slip.

One wrong hyperparameter, when no known mistake fits exactly: each integer field
(n_layer, d_model, n_head, d_head, n_kv_head, d_ff, n_vocab, n_context, n_expert,
n_expert_per_token, d_ff_expert ...) is solved for with everything else as the file
says, and a value that gives the declared number is reported as `FIELD=VALUE`, at the
line of that field's key. Only valid models count (heads a multiple of KV heads ...),
and a solved width or count within a factor of 4 of what the file says (a slip, not a
280,813-token vocabulary that happens to add up).
For a rounded number (6.7B) a value is named, "within", only when it is the one value
of that field the number's precision allows.

    model: {n_vocab: 50257, n_context: 2048, n_layer: 96, d_model: 12288, n_head: 96}
    expected_params: 160_250_277_888   # PL201, explained by: wo_shape

    model: {n_vocab: 50257, n_context: 1024, n_layer: 36, d_model: 1600, n_head: 25}
    expected_params: 1_557_611_200     # PL201, explained by: n_layer=48 (GPT-2 XL)
"""

from dataclasses import replace

from ..quantities import format_size

CODE = "PL201"
NAME = "expected-params"
SEVERITY = "error"
SUMMARY = "parameter count differs from expected_params beyond the tolerance"


def check(ctx):
    if ctx.breakdown is None:
        return
    checks = [("expected_params", ctx.expected_params, ctx.breakdown.total, "parameters")]
    a = ctx.config.architecture
    if a.has_active_count:
        checks.append(("expected_active_params", ctx.expected_active_params, ctx.breakdown.active, "active parameters"))
    elif a.is_moe and ctx.expected_active_params is not None:
        declared = ctx.expected_active_params
        finding = ctx.finding(
            CODE,
            declared.path,
            f"expected_active_params is {declared.value:,} but the file does not say how many experts a token uses "
            "(num_experts_per_tok is null), so there is no active count to check it against",
            at=declared.mark,
        )
        yield replace(finding, subject="expected_active_params")
    for key, declared, counted, what in checks:
        if declared is None or ctx.tolerance.accepts(counted, declared.value):
            continue
        difference = declared.value - counted
        percent = f" ({difference / counted:+.2%})" if counted else ""
        where = {
            "file": "",
            "directive": " (from the # param-lint: directive)",
            "pyproject": " (from [tool.param-lint.files] in pyproject.toml)",
        }[declared.source]
        message = (
            f"{key}{where} is {declared.value:,} ({format_size(declared.value)}) but the model has {counted:,} {what}: "
            f"the declared number is off by {difference:+,}{percent}, beyond the tolerance of {ctx.tolerance}"
        )
        from ..diagnose import diagnose  # only files with a wrong count pay for the diagnosis

        explanations = diagnose(
            ctx.config, ctx.breakdown, declared.value, ctx.tolerance, key != "expected_params", ctx.document
        )
        finding = ctx.finding(CODE, declared.path, message, explanations, at=declared.mark)
        yield replace(finding, subject=key)
