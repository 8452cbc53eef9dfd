"""PL100: the file is not a model config param-lint reads.

## What it does
Reports a file that no dialect recognises: a YAML or JSON file that is not a model config
in any format param-lint reads (its own, Hugging Face `config.json`, the training
frameworks' files), or a file of another kind (`.toml`, `.py`, `.sh`) named explicitly.
The message lists the formats param-lint reads.

## Why is this bad?
A file given to param-lint by name was meant to be checked; checking nothing in silence
would hide that. Under `--skip-non-configs` (the pre-commit hook's entry) such files are
passed over without a finding, so the hook stays quiet on Kubernetes manifests, workflows,
`package.json` and the like.

## Example
```yaml
# deploy.yaml, given explicitly: PL100 not a model config param-lint reads
apiVersion: apps/v1
kind: Deployment
```
"""

CODE = "PL100"
NAME = "not-a-config"
SEVERITY = "error"
SUMMARY = "not a model config param-lint reads (no dialect recognises it)"


def check(ctx):
    return ctx.unrecognised
