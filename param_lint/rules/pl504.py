"""PL504: the checkpoint holds a tensor the config does not imply.

**What it does.** Reports each tensor in the index or headers that transformers would not
build from the config, at its entry, and says what it is when it is one a checkpoint
often holds besides: a second copy of a tied head (`lm_head.weight` with
`tie_word_embeddings`), rotary `inv_freq` or causal-mask buffers from older exports,
multi-token-prediction layers (`num_nextn_predict_layers`), which transformers does not build.
Tensors of the same kind in every layer are one finding.

**Why.** An unknown tensor usually means the config and the weights come from different
models (a layer more, an expert more, another family); transformers drops it with a
warning. The recognised ones cost bytes, not correctness: a warning.

**Example.** A checkpoint of 3 layers for a config of 2:

    model-00002-of-00002.safetensors:1:988: PL504 tensor model.layers.2.mlp.up_proj.weight:
        not a weight of this llama config (layer 2; the config has 2 layers)
"""

from ..checkpoint.compare import grouped, layer_of, more
from ..findings import Finding

CODE = "PL504"
NAME = "checkpoint-unexpected-tensor"
SEVERITY = "warning"
SUMMARY = "the checkpoint holds a tensor the config does not imply"


def check(ctx):
    comparison = ctx.checkpoint
    if comparison is None:
        return
    arch = comparison.arch
    unknown = [(name, what) for name, what in comparison.unexpected if not what]
    for name, _, count in grouped(unknown):
        what = f"not a weight of this {comparison.family} config"
        layer = layer_of(name)
        if layer is not None and layer >= arch.n_layer + arch.n_encoder_layer:
            what += f" (layer {layer}; the config has {arch.n_layer} layers)"
        yield Finding(*comparison.checkpoint.where(name), CODE, f"tensor {name}: {what}{more(count, name)}")
    # the recognised extras, one finding per kind: a multi-token-prediction layer is many tensors
    kinds: dict[str, list[str]] = {}
    for name, what in comparison.unexpected:
        if what:
            kinds.setdefault(what, []).append(name)
    for what, names in kinds.items():
        others = f" (and {len(names) - 1:,} more of the kind)" if len(names) > 1 else ""
        yield Finding(*comparison.checkpoint.where(names[0]), CODE, f"tensor {names[0]}: {what}{others}")
