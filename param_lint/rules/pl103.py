"""PL103: a `# param-lint:` directive that is not exact, so it does nothing.

## What it does
Reports a comment that starts with `param-lint:` but is not one of the directives:
`disable`, `disable=CODES`, `disable-file`, `disable-file=CODES` (codes such as `PL303`,
upper case, comma-separated, no spaces), or declarations `expected_params=...`,
`expected_active_params=...`, `tolerance=...`, `n_vocab=...`, `tensor_parallel=...`.

## Why is this bad?
A mistyped suppression used to silence every finding in the file; now it silences nothing,
and this warning says why, so the typo is seen instead of hiding real problems.

## Example
```yaml
# param-lint: disable-file: PL303      <- PL103: unknown directive 'disable-file:'
# param-lint: disable-file=PL303       <- correct
```
"""

CODE = "PL103"
NAME = "bad-directive"
SEVERITY = "warning"
SUMMARY = "a `# param-lint:` comment that is not an exact directive (it does nothing)"


def check(ctx):
    return ctx.directives.problems
