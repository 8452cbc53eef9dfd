"""What a training framework's config says about how the model is split across devices.

Framework dialects (Megatron/NeMo, GPT-NeoX) fill a `Parallel` on their `ModelConfig`; the
launch-time rules (PL4xx) check the model's shapes against it. Native and Hugging Face
configs carry none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .document import Path


@dataclass(frozen=True)
class Parallel:
    """Parallel sizes as the file sets them (1 / None / False when it does not)."""

    tensor: int = 1  # tensor (model) parallel size: heads, query groups and vocabulary are split by it
    pipeline: int = 1  # pipeline stages: layers are split by it
    virtual_pipeline: int | None = None  # interleaved stages per pipeline rank
    layers_per_virtual_stage: int | None = None  # Megatron-LM's way of giving the same
    context: int = 1  # context parallel size: the sequence is split in 2 * context chunks
    expert: int = 1  # expert parallel size: experts are split by it
    sequence_parallel: bool = False  # activations split along the sequence across TP ranks
    seq_length: int | None = None  # training sequence length
    strict_pipeline: bool = True  # layers must split evenly over the stages (Megatron; not DeepSpeed's partitioner)
    # the model's shapes the checks need, so they run even when the count cannot be made
    n_layer: int = 0
    d_model: int = 0
    n_head: int = 0
    n_kv_head: int = 0
    n_expert: int = 0
    d_head_given: bool = False  # the file sets the head width (kv_channels ...) itself
    names: Mapping[str, str] = field(default_factory=dict)  # field -> the framework's key name
    sources: Mapping[str, Path] = field(default_factory=dict)  # field -> key that set it

    def name(self, field_name: str) -> str:
        """The framework's own name for a field, for messages."""
        return self.names.get(field_name, field_name)


@dataclass(frozen=True)
class VocabPadding:
    """The vocabulary rounded up as the framework does before building the embedding."""

    n_vocab: int  # the tokenizer's (or the file's) vocabulary size
    multiple: int  # rows are a multiple of this: divisible_by * tensor_parallel
    divisible_by: int
    tensor_parallel: int
    rule: str  # how the framework states it, for messages

    @property
    def padded(self) -> int:
        return pad_vocab(self.n_vocab, self.multiple)

    @property
    def rows(self) -> int:
        """Padding rows added to the embedding (and to an untied unembedding)."""
        return self.padded - self.n_vocab

    def describe(self) -> str:
        return (
            f"vocabulary {self.n_vocab:,} padded to {self.padded:,} ({self.rule} = {self.multiple:,}): "
            f"{self.rows:,} padding rows"
        )


def no_vocabulary(named: str) -> str:
    """The can't-count message of a file that names a tokenizer instead of a vocabulary size."""
    where = (
        f"the vocabulary size comes from the tokenizer{named}, which param-lint does not load"
        if named
        else "the file gives no vocabulary size (the tokenizer sets it at launch)"
    )
    return (
        f"{where}: declare n_vocab, the tokenizer's size before padding, in a `# param-lint: n_vocab=...` "
        'comment or for this file in pyproject ([tool.param-lint.files."<path>"] n_vocab = ...)'
    )


def pad_vocab(n_vocab: int, multiple: int) -> int:
    """`n_vocab` rounded up to a multiple of `multiple` (Megatron's _vocab_size_with_padding)."""
    return -(-n_vocab // multiple) * multiple


def launch_sizes(dialect: Any, data: Any, facts: Any) -> Parallel | None:
    """The parallel sizes of a config its dialect recognised but could not read or count.

    A framework reader hands them over on its CannotCount or ConfigError (a file that names
    a tokenizer, or has one bad value, still has heads, layers and parallel sizes to check).
    """
    from .dialects import CannotCount, ConfigError, Reader

    try:
        dialect.read(Reader(data), facts)
    except (CannotCount, ConfigError) as error:
        return getattr(error, "parallel", None)
    return None
