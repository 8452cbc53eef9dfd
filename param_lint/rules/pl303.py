"""PL303: hyperparameters that contradict each other (a warning).

- d_model != n_head*d_head with d_head given explicitly (fine in families that decouple
  them on purpose, such as Gemma; Hugging Face configs with `head_dim` are not flagged);
- n_head not a multiple of n_kv_head (grouped-query attention needs equal groups);
- d_ff smaller than d_model, as if the two were swapped (d_ff is usually 4 * d_model);
- a Hugging Face layer count the file writes that is not the model's: Nemotron-H's layers
  are those its `hybrid_override_pattern` spells, whatever `num_hidden_layers` says
  (transformers builds the pattern's, and counting does too).

The head checks apply where some layer has attention, the d_ff check where some layer has
the dense MLP (not to a state-space stack's mixers, nor to a flat mixture of experts).

    model: {d_model: 4096, n_head: 32, d_head: 64}   # PL303: 32*64 = 2048, not 4096
"""

CODE = "PL303"
NAME = "inconsistent-hyperparameters"
SEVERITY = "warning"
SUMMARY = "inconsistent hyperparameters"


def check(ctx):
    if ctx.config is None:
        return
    a, config = ctx.config.architecture, ctx.config
    head_source = config.sources.get("d_head")
    decoupled_on_purpose = config.dialect != "native" and head_source not in (None, config.sources.get("d_model"))
    heads = a.has_attention  # a pure state-space stack (Mamba) has no heads to check
    if heads and a.n_head * a.d_head != a.d_model and a.kv_lora_rank is None and not decoupled_on_purpose:
        yield ctx.finding(
            CODE,
            config.source("d_head", "n_head"),
            f"n_head*d_head = {a.n_head}*{a.d_head} = {a.n_head * a.d_head:,} differs from d_model = {a.d_model:,}; "
            "usually d_head = d_model / n_head",
        )
    if heads and a.n_head % a.n_kv_head:
        yield ctx.finding(
            CODE,
            config.source("n_kv_head"),
            f"n_head ({a.n_head}) is not a multiple of n_kv_head ({a.n_kv_head}): "
            "query heads cannot share key/value heads evenly",
        )
    # an MLP beside routed experts in the same layer (Gemma 4) is narrow by design, as is a MoE
    # model's d_ff when only experts use it
    beside_experts = any(group.ffn == "dense+moe" for group in a.layers)
    if a.d_ff < a.d_model and a.has_dense_mlp and not (a.is_moe and not a.layers) and not beside_experts:
        yield ctx.finding(
            CODE,
            config.source("d_ff", "d_model"),
            f"d_ff ({a.d_ff:,}) is smaller than d_model ({a.d_model:,}); "
            "d_ff is usually 4 * d_model: were they swapped?",
        )
    # a Hugging Face depth key that is not the depth: the layer list wins in transformers (other
    # formats derive the depth on purpose: MaxText's global_parameter_scale doubles its layers)
    depth = config.source("n_layer") if config.dialect == "huggingface" else ()
    written = ctx.document.value(depth) if depth and ctx.document is not None else None
    if isinstance(written, float) and written.is_integer():
        written = int(written)  # 52.0 is read as 52, as every integer key is
    if isinstance(written, int) and not isinstance(written, bool) and written != a.n_layer:
        yield ctx.finding(
            CODE,
            depth,
            f"{depth[-1]} is {written:,} but the model has {a.n_layer:,} layers, as its layer pattern "
            f"lists them; those are the layers built and counted, whatever {depth[-1]} says",
        )
