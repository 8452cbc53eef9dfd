"""PL202: the config declares no `expected_params` (off unless selected).

Without a declared count nothing guards the hyperparameters: select this rule
(`--select PL202`) to require every config to state the count it was designed for.

    expected_params: 175B
"""

CODE = "PL202"
NAME = "missing-expected-params"
SEVERITY = "error"
SUMMARY = "no expected_params declared"
DEFAULT_ENABLED = False


def check(ctx):
    if ctx.breakdown is not None and ctx.expected_params is None:
        total = f"{ctx.breakdown.total:,}"
        yield ctx.finding(CODE, (), f"no expected_params declared; the model has {total} parameters")
