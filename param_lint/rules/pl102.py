"""PL102: a recognised config whose model param-lint cannot count.

## What it does
Reports a model config param-lint recognises but cannot count: a Hugging Face `model_type`
it does not support yet, a remote-code model (`auto_map` without a transformers class),
a framework file that names a tokenizer instead of a vocabulary size. The message says
what is missing, and how to supply it where that is possible (`n_vocab` in a
`# param-lint:` directive or in `[tool.param-lint.files."GLOB"]`).

## Why is this bad?
By itself it is not: it is a warning, so a repository full of configs param-lint cannot
count yet does not fail the hook. It is an error when an expected count is declared for the
file (in it, in a directive or in pyproject): then a check was asked for that cannot be made.

## Example
```json
{"model_type": "bert", "hidden_size": 768}
```
gives `PL102 cannot count model_type 'bert' yet; param-lint counts: ...` (a warning).
"""

CODE = "PL102"
NAME = "cannot-count"
SEVERITY = "warning"
SUMMARY = "recognised config whose model cannot be counted (error when a count is declared)"


def severity(ctx) -> str:
    """An error only when the user declared a count that this file cannot be checked against."""
    return "error" if ctx.count_declared else SEVERITY


def check(ctx):
    return ctx.cannot_count
