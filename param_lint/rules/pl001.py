"""PL001: the file cannot be read, decoded or parsed.

A missing or unreadable file, bytes that are not UTF-8 (or UTF-16/32 with a byte order
mark), or YAML/JSON syntax errors. The finding gives the line and column of the fault.

    model: {n_layer: 96     # PL001: YAML syntax error: ... (missing '}')
"""

CODE = "PL001"
NAME = "unreadable"
SEVERITY = "error"
SUMMARY = "file cannot be read, decoded or parsed"


def check(ctx):
    return [f for f in ctx.load_findings if f.code == CODE]
