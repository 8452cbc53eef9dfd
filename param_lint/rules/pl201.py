"""PL201: the parameter count differs from `expected_params` beyond the tolerance.

The count is exact (see `param-lint --breakdown FILE`). The tolerance is the file's
`tolerance`, else `--tolerance` or `[tool.param-lint] tolerance`, else 1%. A MoE config
may declare `expected_active_params` too. A count may also be declared in a comment
directive (`# param-lint: expected_params=6.74B`) or per path in pyproject
(`[tool.param-lint.files."GLOB"]`); a key in the file wins over a directive, which wins
over pyproject. When a known mistake explains the declared
number (W_O shaped (n_head*d_head, d_head), missing biases or norms, a tied head counted
twice...), the finding lists it; see `param_lint/diagnose.py` for the catalogue.

    model: {n_vocab: 50257, n_context: 2048, n_layer: 96, d_model: 12288, n_head: 96}
    expected_params: 160_250_277_888   # PL201, explained by: wo_shape
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
    if ctx.config.architecture.is_moe:
        checks.append(("expected_active_params", ctx.expected_active_params, ctx.breakdown.active, "active parameters"))
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
            ctx.config, ctx.breakdown, declared.value, ctx.tolerance, active=key != "expected_params"
        )
        finding = ctx.finding(CODE, declared.path, message, explanations, at=declared.mark)
        yield replace(finding, subject=key)
