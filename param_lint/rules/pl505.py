"""PL505: a tensor in the checkpoint has another shape than the config implies.

**What it does.** Compares each tensor's shape in the safetensors headers with the shape
transformers gives it for the config (nn.Linear weights as (out, in), embeddings as
(rows, width)), and reports the difference at the tensor's entry in the header. The
attention output projection is PL301 instead. Tensors wrong the same way in every layer
are one finding. A quantized checkpoint's packed weights are not compared.

**Why.** A wrong `num_key_value_heads`, `intermediate_size` or `vocab_size` in the config
makes loading fail with a size mismatch, late, or silently resizes an embedding.

**Example.** A config with `"num_key_value_heads": 32` for weights saved with 8 heads:

    model-00002-of-00002.safetensors:1:136: PL505 tensor model.layers.0.self_attn.k_proj.weight
        is (1024, 4096) but the config implies (4096, 4096) (W_K)
"""

from ..checkpoint.compare import grouped, more
from ..findings import Finding

CODE = "PL505"
NAME = "checkpoint-tensor-shape"
SEVERITY = "error"
SUMMARY = "a checkpoint tensor's shape differs from the config's"


def check(ctx):
    comparison = ctx.checkpoint
    if comparison is None:
        return
    wrong = [
        (m.name, (m.stored, m.expected.shape, m.expected.terms, m.why)) for m in comparison.mismatched if not is_wo(m)
    ]
    for name, (stored, expected, terms, why), count in grouped(wrong):
        yield Finding(
            *comparison.checkpoint.where(name),
            CODE,
            f"tensor {name} is {stored} but the config implies {expected} ({'+'.join(terms)})"
            f"{f': {why}' if why else ''}{more(count, name)}",
        )


def is_wo(mismatch) -> bool:
    """The attention output projection (o_proj, dense, c_proj, out_proj, o): PL301's."""
    return any(term.endswith("W_O") for term in mismatch.expected.terms)
