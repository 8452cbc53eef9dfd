"""PL301: W_O, the attention output projection, has the wrong shape: declared or in a checkpoint.

W_O maps the concatenated heads, n_head*d_head wide, back to the residual stream, so in
the (in, out) convention it is (n_head*d_head, d_model). The classic mistake, made in
the article this tool grew from, is (n_head*d_head, d_head): an 8% undercount for GPT-3.

    weights:
      W_O: [n_head*d_head, d_head]    # PL301
      W_O: [n_head*d_head, d_model]   # correct

Beside a Hugging Face config.json, the checkpoint's own W_O tensors (`o_proj`, `dense`,
`c_proj`, `out_proj`, T5's `o`) are checked too, at their entry in the safetensors
header, saying which dimension is wrong (transformers stores them (out, in), d_model
first; GPT-2's Conv1D (in, out)).
"""

from ..findings import Explanation, Finding

CODE = "PL301"
NAME = "wo-shape"
SEVERITY = "error"
SUMMARY = "W_O declared (or saved in a checkpoint) with the wrong shape"


def check(ctx):
    shapes, _ = ctx.declared_shapes
    finding = ctx.shape_finding(CODE, "W_O", shapes["W_O"]) if "W_O" in shapes else None
    findings = [finding] if finding else []
    comparison = ctx.checkpoint if ctx.config is not None else None
    if comparison is not None:
        findings += checkpoint_findings(comparison)
    return findings


def checkpoint_findings(comparison):
    from ..checkpoint.compare import grouped, more
    from .pl505 import is_wo

    arch = comparison.arch
    in_out = comparison.expected.tensors and _in_out(comparison)
    wrong = [(m.name, (m.stored, m.expected.shape)) for m in comparison.mismatched if is_wo(m)]
    for name, (stored, expected), count in grouped(wrong):
        if len(stored) != 2:
            message = f"tensor {name} is {stored} but the attention output projection W_O is a matrix {expected}"
            yield Finding(*comparison.checkpoint.where(name), CODE, message)
            continue
        heads, model = ("n_head*d_head", "d_model")
        layout = (heads, model) if in_out else (model, heads)
        index = {heads: 0, model: 1} if in_out else {heads: 1, model: 0}
        problems = [
            f"its {'input' if role == heads else 'output'} dimension is {stored[i]:,}, not {role} = {expected[i]:,}"
            for role, i in index.items()
            if stored[i] != expected[i]
        ]
        explanations = []
        if stored[index[model]] == arch.d_head and stored[index[heads]] == expected[index[heads]]:
            explanations.append(
                Explanation("wo_shape", "the article's mistake: W_O projects to one head's width, d_head")
            )
        yield Finding(
            *comparison.checkpoint.where(name),
            CODE,
            f"tensor {name} is {stored} but the attention output projection W_O must be "
            f"({', '.join(layout)}) = {expected} as stored ({'in, out' if in_out else 'out, in'}): "
            + "; ".join(problems)
            + more(count, name),
            explanations=tuple(explanations),
        )


def _in_out(comparison):
    from ..checkpoint.names import NAMINGS

    return NAMINGS[comparison.family].in_out
