"""PL403: layers do not split evenly over the pipeline stages (and virtual stages).

What it does
    Checks that the number of layers is a multiple of the pipeline-parallel size, and that
    each stage's layers split evenly into its virtual (interleaved) stages:
    `virtual_pipeline_model_parallel_size` (NeMo, Megatron-Bridge) or
    `num_layers_per_virtual_pipeline_stage` (Megatron-LM). GPT-NeoX is not checked: its
    DeepSpeed pipeline partitions uneven layer counts by itself.

Why is this bad?
    Megatron builds `num_layers / pipeline_model_parallel_size` layers on each stage, and
    interleaving splits those again; a remainder stops the job at start-up.

Example
    model:
      num_layers: 96
      pipeline_model_parallel_size: 8
      virtual_pipeline_model_parallel_size: 5   # PL403: 12 layers per stage into 5; valid: 1, 2, 3, 4, 6, 12
"""

from ._launch import at, divisors, listed, parallel_of

CODE = "PL403"
NAME = "layers-per-pipeline-stage"
SEVERITY = "error"
SUMMARY = "layers not divisible by the pipeline-parallel size (or the virtual stages)"


def check(ctx):
    p = parallel_of(ctx)
    if p is None or not p.strict_pipeline or not p.n_layer:
        return
    if p.pipeline > 1 and p.n_layer % p.pipeline:
        yield ctx.finding(
            CODE,
            at(ctx, p, "pipeline", "n_layer"),
            f"{p.name('n_layer')} ({p.n_layer}) is not divisible by {p.name('pipeline')} ({p.pipeline}): every "
            f"pipeline stage builds the same number of layers, so the job stops at start-up; valid "
            f"{p.name('pipeline')} values: {listed(divisors(p.n_layer))}",
        )
        return
    per_stage = p.n_layer // p.pipeline
    if p.virtual_pipeline and p.virtual_pipeline > 1 and per_stage % p.virtual_pipeline:
        yield ctx.finding(
            CODE,
            at(ctx, p, "virtual_pipeline"),
            f"each of the {p.pipeline} pipeline stages has {per_stage} layers, which do not split into "
            f"{p.name('virtual_pipeline')} ({p.virtual_pipeline}) virtual stages: interleaving needs an equal number "
            f"of layers in each, so the job stops at start-up; valid {p.name('virtual_pipeline')} values: "
            f"{listed(divisors(per_stage))}",
        )
    if p.layers_per_virtual_stage and per_stage % p.layers_per_virtual_stage:
        yield ctx.finding(
            CODE,
            at(ctx, p, "layers_per_virtual_stage"),
            f"each of the {p.pipeline} pipeline stages has {per_stage} layers, not a multiple of "
            f"{p.name('layers_per_virtual_stage')} ({p.layers_per_virtual_stage}): the job stops at start-up; "
            f"valid values: {listed(divisors(per_stage))}",
        )
