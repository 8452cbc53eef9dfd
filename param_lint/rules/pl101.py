"""PL101: the config does not match its schema.

Wrong types (`n_layer: yes`), missing keys, values out of range, unknown keys (with a
suggestion: `n_layers` -> did you mean `n_layer`?), unknown `model_type`s, and declared
weight shapes whose expressions cannot be evaluated (`9**9**9**9`, division by zero,
names that are not hyperparameters). The schemas ship in `schemas/`; editors can use them.

    model:
      n_layers: 96     # PL101: unknown key 'n_layers' in model; did you mean 'n_layer'?
"""

CODE = "PL101"
NAME = "schema"
SEVERITY = "error"
SUMMARY = "schema violation (wrong type, missing key, out of range, unknown key)"


def check(ctx):
    loaded = [f for f in ctx.load_findings if f.code == CODE]
    return loaded + ctx.schema_findings + ctx.declared_shapes[1]
