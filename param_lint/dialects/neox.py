"""GPT-NeoX `configs/*.yml`: flat NeoXArgs, `-` and `_` spellings alike.

What decides the count, as gpt-neox builds the model (megatron/model/transformer.py,
megatron/neox_arguments/neox_args.py):

- the MLP width: `intermediate_size`, else `expansion_factor * hidden_size`, else
  `4 * hidden_size`. For a gated activation (swiglu, geglu, reglu, bilinear, glu) that
  number is the width of *both* branches together before the 2/3 rule: linear1 is
  `int(w * 2/3)` wide (gate and up), linear2 takes half of it; both are rounded up to
  multiples of `mlp_multiple_of` (x2 for linear1). Llama-2's 11,008 is written as
  `intermediate_size: 32768`. Before gpt-neox unified its MLPs (late 2024), a gated
  `intermediate_size` was the per-branch width itself (14,336 for Mistral): a file
  written then means something else now. When the two halves do not fit together, the
  model cannot run, and that is a finding.
- biases: `use_bias_in_attn_linear` (Q, K, V, O) and `use_bias_in_mlp` both default to
  true, so a Llama config that leaves `use_bias_in_mlp` out has MLP biases.
- norms: two per layer, also with `gpt_j_residual` (the second is unused but built);
  LayerNorm has weight and bias, RMSNorm a weight.
- `rotary_pct` changes no parameter; `pos_emb: learned` adds `max_position_embeddings` rows.
- the vocabulary (the tokenizer's, declared as n_vocab) is padded to a multiple of
  `make_vocab_size_divisible_by` (128) x `model_parallel_size`.
- the dropless mixture of experts (`moe_num_experts` > 1, megatron/model/moe.py): layers
  whose 0-based number is a multiple of `moe_expert_interval` (default 1) hold a bias-free
  router and the experts (w1, w2, no biases) of `intermediate_size`, else 4 x hidden_size
  rounded up to 256; with a gated activation it is not counted.

Several files launched together (`deepy.py train.py a.yml b.yml`) are merged as NeoXArgs
merges them: every key once across the files. param-lint merges the files a directive in
the architecture file names, relative to it: `# gpt-neox-merge: local_setup.yml`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any

from ..architecture import Architecture
from ..parallel import Parallel, VocabPadding, no_vocabulary, pad_vocab
from . import CannotCount, ConfigError, Dialect, Facts, ModelConfig, Reader

# Keys only NeoXArgs uses (in `_` spelling); one of them, beside the three architecture
# keys, marks a file as gpt-neox's.
_MARKERS = (
    "pos_emb",
    "no_weight_tying",
    "gpt_j_residual",
    "model_parallel_size",
    "pipe_parallel_size",
    "attention_config",
    "output_layer_parallelism",
    "rotary_pct",
    "use_bias_in_mlp",
    "mlp_multiple_of",
    "train_micro_batch_size_per_gpu",
)
_ARCHITECTURE = ("num_layers", "hidden_size", "num_attention_heads")
GATED = ("swiglu", "geglu", "reglu", "bilinear", "glu")
MERGE_DIRECTIVE = re.compile(r"^#\s*gpt-neox-merge:\s*(.+?)\s*$", re.MULTILINE)
MAX_MERGED = 16  # files one directive may name


def _normal(key: str) -> str:
    return key.replace("-", "_")


def recognise(data: dict) -> bool:
    if not isinstance(data, Mapping) or "model" in data or "model_type" in data:
        return False
    keys = {_normal(k) for k in data if isinstance(k, str)}
    return all(k in keys for k in _ARCHITECTURE) and any(k in keys for k in _MARKERS)


class _NeoxReader(Reader):
    """A Reader over the `_` spelling of every key that points findings at the key as written."""

    def __init__(self, data: Mapping[str, Any], written: Mapping[str, tuple], sources: dict) -> None:
        super().__init__(data, (), sources)
        self.written = written

    def path(self, key: str) -> tuple:
        return self.written.get(key, (key,))


def normalise(data: Mapping[str, Any], where: tuple = ()) -> tuple[dict[str, Any], dict[str, tuple]]:
    """Keys in `_` spelling; two spellings of one key in a file are a finding."""
    out: dict[str, Any] = {}
    written: dict[str, tuple] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            continue
        name = _normal(key)
        if name in out:
            raise ConfigError((*where, key), f"{key!r} and {written[name][-1]!r} are the same NeoX setting given twice")
        out[name], written[name] = value, (*where, key)
    return out, written


def read(top: Reader, facts: Facts) -> ModelConfig:
    data, written = normalise(top.data)
    merged_from = _merge(data, written, facts)
    r = _NeoxReader(data, written, top.sources)
    parallel = _parallel(r)
    try:
        return _read(r, top, facts, parallel, merged_from)
    except (CannotCount, ConfigError) as error:
        setattr(error, "parallel", parallel)  # noqa: B010  (the launch checks, PL4xx, still run)
        raise


def _read(r: Reader, top: Reader, facts: Facts, parallel: Parallel, merged_from: list[str]) -> ModelConfig:
    if r.has("num_unique_layers"):
        raise CannotCount(
            r.path("num_unique_layers"), "layers shared across the stack (num_unique_layers) are not counted yet"
        )
    if r.has("use_qk_layernorm") and r.boolean("use_qk_layernorm"):
        raise CannotCount(r.path("use_qk_layernorm"), "GPT-NeoX's qk layernorm is not counted yet")
    n_layer = r.integer("num_layers", field="n_layer", minimum=1)
    d_model = r.integer("hidden_size", field="d_model", minimum=1)
    n_head = r.integer("num_attention_heads", field="n_head", minimum=1)
    n_kv_head = r.integer("num_kv_heads", n_head, field="n_kv_head", minimum=1)
    activation = r.string("activation", "gelu", field="mlp")
    gated = activation in GATED
    d_ff, notes = _mlp_width(r, d_model, gated)
    moe = _moe(r, n_layer, d_model, gated) if r.integer("moe_num_experts", 1, minimum=1) > 1 else {}

    norm = r.string("norm", "layernorm", field="norm")
    if norm not in ("layernorm", "rmsnorm", "te_layernorm", "te_rmsnorm"):
        r.fail("norm", f"norm {norm!r} is not counted (layernorm or rmsnorm)")
    norm = norm.removeprefix("te_")

    position = r.string("pos_emb", "learned", field="position_embedding")
    if position == "rpe":
        raise CannotCount(r.path("pos_emb"), "T5-style relative position buckets (pos_emb: rpe) are not counted yet")
    n_context = 0
    if position == "learned":
        n_context = r.integer("max_position_embeddings", field="n_context", minimum=1)
    position = {"learned": "learned", "rotary": "rotary", "alibi": "alibi"}.get(position, "none")

    n_vocab, padding = _vocabulary(r, facts)
    if padding is not None and padding.rows:
        notes = (padding.describe(), *notes)
    if merged_from:
        notes = (f"merged with {', '.join(merged_from)}", *notes)
    attn_bias = r.boolean("use_bias_in_attn_linear", True, field="qkv_bias")
    r.note("out_bias", "use_bias_in_attn_linear")
    mlp_bias = r.boolean("use_bias_in_mlp", True, field="mlp_bias")
    arch = Architecture(
        n_vocab=n_vocab,
        n_layer=n_layer,
        d_model=d_model,
        n_head=n_head,
        d_head=d_model // n_head,  # mpu.divide(hidden_size, num_attention_heads): PL408 when it does not divide
        n_kv_head=n_kv_head,
        d_ff=d_ff,
        n_context=n_context,
        position_embedding=position,
        position_offset=r.integer("opt_pos_emb_offset", 0, field="position_offset") if position == "learned" else 0,
        tie_embeddings=not r.boolean("no_weight_tying", False, field="tie_embeddings"),
        qkv_bias=attn_bias,
        out_bias=attn_bias,
        mlp="gated" if gated else "standard",
        mlp_bias=mlp_bias,
        norm=norm,
        norm_bias=True,
        norms_per_layer=2,
        final_norm=True,
        **moe,
    )
    return ModelConfig(
        "gpt-neox",
        arch,
        top.sources,
        parallel=parallel,
        vocab_padding=padding,
        notes=notes,
    )


def _mlp_width(r: Reader, d_model: int, gated: bool) -> tuple[int, tuple[str, ...]]:
    """The width of one MLP branch, as ParallelMLP computes it."""
    if r.has("intermediate_size"):
        written, key = r.integer("intermediate_size", field="d_ff", minimum=1), "intermediate_size"
    elif r.has("expansion_factor"):
        written, key = int(r.number("expansion_factor", field="d_ff") * d_model), "expansion_factor"
    else:
        written, key = 4 * d_model, ""
    multiple = r.integer("mlp_multiple_of", 1, minimum=1)
    ffn_dim, ffn_dim_in = written, written
    if gated:
        ffn_dim = int(written * 2 / 3)
        ffn_dim_in = ffn_dim // 2
    ffn_dim = 2 * multiple * -(-ffn_dim // (2 * multiple))
    ffn_dim_in = multiple * -(-ffn_dim_in // multiple)
    expected_in = ffn_dim // 2 if gated else ffn_dim
    if ffn_dim_in != expected_in:
        what = "two halves of" if gated else "output"
        message = (
            f"the MLP cannot run: linear1 gives {what} {expected_in:,} but linear2 takes {ffn_dim_in:,} "
            f"({key or '4 * hidden_size'} {written:,}, mlp_multiple_of {multiple})"
        )
        if gated:
            message += (
                f"; if {written:,} is meant as the width of each gated branch (what a gated intermediate_size meant "
                f"before gpt-neox unified its MLPs), write intermediate_size: {3 * written:,} (3 x {written:,})"
            )
        r.fail(key or "hidden_size", message)
    if gated:
        rule = (
            f"MLP: {key or '4 * hidden_size'} {written:,} is the width of both gated branches before the 2/3 rule: "
            f"linear1 {ffn_dim:,} (gate + up), linear2 {ffn_dim_in:,} (d_ff)"
        )
        return ffn_dim_in, (rule,)
    return ffn_dim_in, ()


def _moe(r: Reader, n_layer: int, d_model: int, gated: bool) -> dict[str, Any]:
    """GPT-NeoX's dropless MoE (megatron/model/moe.py): the MoE fields of the Architecture.

    Layers whose 0-based number is a multiple of `moe_expert_interval` (default 1: all) hold
    a bias-free router and moe_num_experts experts (w1, w2, no biases) of `intermediate_size`,
    else 4 x hidden_size rounded up to 256; the other layers keep the dense MLP.
    """
    if gated:
        raise CannotCount(
            r.path("activation"),
            "GPT-NeoX's dropless mixture of experts with a gated activation is not counted "
            "(which grouped MLP gpt-neox builds for it is not settled by the file)",
        )
    n_expert = r.integer("moe_num_experts", field="n_expert", minimum=1)
    top_k = r.integer("moe_top_k", 1, field="n_expert_per_token", minimum=1)
    if top_k > n_expert:
        r.fail("moe_top_k", f"moe_top_k ({top_k}) is more than moe_num_experts ({n_expert})")
    interval = r.integer("moe_expert_interval", 1, field="n_dense_layer", minimum=1)
    if r.has("intermediate_size"):
        width = r.integer("intermediate_size", field="d_ff_expert", minimum=1)
    else:
        width = 256 * -(-4 * d_model // 256)
        r.note("d_ff_expert", "hidden_size")
    return {
        "n_expert": n_expert,
        "n_expert_per_token": top_k,
        "d_ff_expert": width,
        "n_dense_layer": n_layer - -(-n_layer // interval),
        "expert_bias": "none",
    }


def _vocabulary(r: Reader, facts: Facts) -> tuple[int, VocabPadding | None]:
    n_vocab = facts.n_vocab
    if n_vocab is None:
        tokenizer = repr(r.data["tokenizer_type"]) if r.has("tokenizer_type") else "GPT2BPETokenizer, the default"
        vocab_file = r.data.get("vocab_file")
        named = f" (tokenizer_type {tokenizer}" + (f", vocab_file {vocab_file!r})" if vocab_file else ")")
        path = (
            r.path("vocab_file") if r.has("vocab_file") else r.path("tokenizer_type") if r.has("tokenizer_type") else ()
        )
        raise CannotCount(
            path,
            no_vocabulary(named),
        )
    divisible_by = r.integer("make_vocab_size_divisible_by", 128, field="vocab_padding", minimum=1)
    if r.has("model_parallel_size"):
        tp, name = r.integer("model_parallel_size", 1, minimum=1), "model_parallel_size"
    else:
        tp, name = facts.tensor_parallel or 1, "tensor_parallel"
    multiple = divisible_by * tp
    padding = VocabPadding(
        n_vocab, multiple, divisible_by, tp, f"make_vocab_size_divisible_by {divisible_by} x {name} {tp}"
    )
    return pad_vocab(n_vocab, multiple), padding


def _parallel(r: Reader) -> Parallel:
    names = {
        "tensor": "model_parallel_size",
        "pipeline": "pipe_parallel_size",
        "sequence_parallel": "sequence_parallel",
        "seq_length": "seq_length",
        "n_head": "num_attention_heads",
        "n_kv_head": "num_kv_heads",
        "n_layer": "num_layers",
        "d_model": "hidden_size",
        "n_expert": "moe_num_experts",
    }
    sources = {field: r.path(key) for field, key in names.items() if r.has(key)}
    n_expert = r.integer("moe_num_experts", 1)
    if n_expert > 1:  # ParallelDroplessMLP splits the experts over the model-parallel group
        names["expert"] = "model_parallel_size"
        if "tensor" in sources:
            sources["expert"] = sources["tensor"]
    else:
        n_expert = 0
    return Parallel(
        tensor=r.integer("model_parallel_size", 1, minimum=1),
        pipeline=r.integer("pipe_parallel_size", 0) or 1,  # 0 disables pipelining
        sequence_parallel=bool(r.boolean("sequence_parallel", False)),
        seq_length=r.integer("seq_length", None, minimum=1),
        strict_pipeline=False,  # DeepSpeed's pipeline partitioner balances uneven layers
        n_layer=r.integer("num_layers", 0),
        d_model=r.integer("hidden_size", 0),
        n_head=r.integer("num_attention_heads", 0),
        n_kv_head=r.integer("num_kv_heads", None) or r.integer("num_attention_heads", 0),
        n_expert=n_expert,
        expert=r.integer("model_parallel_size", 1, minimum=1) if n_expert else 1,
        d_head_given=False,
        names=names,
        sources=sources,
    )


def _merge(data: dict[str, Any], written: dict[str, tuple], facts: Facts) -> list[str]:
    """Merge in the files `# gpt-neox-merge: a.yml b.yml` names, as NeoXArgs.from_ymls does."""
    if not facts.path:
        return []
    try:
        text = FilePath(facts.path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    match = MERGE_DIRECTIVE.search(text)
    if not match:
        return []
    from ..load import load_path

    names = [n for n in re.split(r"[,\s]+", match.group(1)) if n]
    if len(names) > MAX_MERGED:
        raise ConfigError((), f"gpt-neox-merge names {len(names)} files; at most {MAX_MERGED}")
    here = FilePath(facts.path).resolve().parent
    merged: list[str] = []
    for name in names:
        other = (here / name).resolve()
        if other == FilePath(facts.path).resolve():
            continue
        loaded = load_path(str(other), 1 << 20)
        if loaded.document is None or not isinstance(loaded.document.data, Mapping):
            problem = loaded.findings[0].message if loaded.findings else "not a mapping"
            raise ConfigError((), f"gpt-neox-merge: {name} cannot be read: {problem}")
        fragment, _ = normalise(loaded.document.data)
        for key, value in fragment.items():
            if key in data:
                raise ConfigError(
                    written.get(key, ()),
                    f"{key} is set here and again in {name}: gpt-neox refuses a key given in two config files",
                )
            data[key] = value
        merged.append(name)
    return merged


DIALECT: Dialect = Dialect(
    name="gpt-neox",
    description="GPT-NeoX configs/*.yml (NeoXArgs), - and _ spellings, fragments merged by a directive",
    recognise=recognise,
    read=read,
    hints=("num-layers", "hidden-size", "num-attention-heads", "pos-emb", "no-weight-tying", "model-parallel-size"),
    declarations_in_file=False,
)
