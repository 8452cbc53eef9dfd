"""PL301: W_O, the attention output projection, is declared with the wrong shape.

W_O maps the concatenated heads, n_head*d_head wide, back to the residual stream, so in
the (in, out) convention it is (n_head*d_head, d_model). The classic mistake, made in
the article this tool grew from, is (n_head*d_head, d_head): an 8% undercount for GPT-3.

    weights:
      W_O: [n_head*d_head, d_head]    # PL301
      W_O: [n_head*d_head, d_model]   # correct
"""

CODE = "PL301"
NAME = "wo-shape"
SEVERITY = "error"
SUMMARY = "W_O declared with the wrong shape"


def check(ctx):
    shapes, _ = ctx.declared_shapes
    finding = ctx.shape_finding(CODE, "W_O", shapes["W_O"]) if "W_O" in shapes else None
    return [finding] if finding else []
