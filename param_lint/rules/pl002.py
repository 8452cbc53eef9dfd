"""PL002: a key appears twice in one mapping.

YAML and JSON parsers keep the last value silently, so a second `d_model:` quietly
overrides the first. Reported at the second key. YAML merge keys (`<<: *base`) are fine.

    model:
      d_model: 4096
      d_model: 5120   # PL002: duplicate key 'd_model' (first defined at line 2)
"""

CODE = "PL002"
NAME = "duplicate-key"
SEVERITY = "error"
SUMMARY = "duplicate key in a mapping"


def check(ctx):
    return [f for f in ctx.load_findings if f.code == CODE]
