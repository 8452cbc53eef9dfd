"""PL003: unsafe or abusive YAML.

param-lint builds plain data only. Language tags (`!!python/object`), unknown tags,
alias bombs (a document that expands past 100,000 values), nesting deeper than 100
levels and files over max-file-size are refused here, quickly and without a traceback.

    model: !!python/object:os.system {}   # PL003
"""

CODE = "PL003"
NAME = "unsafe-yaml"
SEVERITY = "error"
SUMMARY = "unsafe or abusive YAML (tags, alias bombs, absurd nesting or size)"


def check(ctx):
    return [f for f in ctx.load_findings if f.code == CODE]
