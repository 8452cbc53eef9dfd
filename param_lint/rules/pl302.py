"""PL302: a declared weight other than W_O has the wrong shape, or the model has no such weight (W_O too).

Understood names: W_E (n_vocab, d_model), W_P (n_context, d_model), W_Q (d_model,
n_head*d_head), W_K and W_V (d_model, n_kv_head*d_head), W_1 and the gate W_3 (d_model,
d_ff), W_2 (d_ff, d_model), W_U (d_model, n_vocab). Q, K and V may be given for one head
(d_model, d_head). With `weight_layout: out_in` every linear weight is (out, in).

    weights:
      W_1: [d_ff, d_model]   # PL302: W_1 is (49152, 12288) but must be (d_model, d_ff) ...
"""

from ..shapes import absent_reason, expected_shapes

CODE = "PL302"
NAME = "weight-shape"
SEVERITY = "error"
SUMMARY = "another declared weight with the wrong shape"


def check(ctx):
    shapes, _ = ctx.declared_shapes
    known = expected_shapes(ctx.config.architecture) if shapes else {}
    for name, declared in shapes.items():
        if name == "W_O" and name in known:  # PL301's, unless the model has no W_O at all
            continue
        if name not in known:
            yield ctx.finding(CODE, ("weights", name), absent_reason(name, ctx.config.architecture))
            continue
        finding = ctx.shape_finding(CODE, name, declared)
        if finding:
            yield finding
