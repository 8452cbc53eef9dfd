"""OmegaConf interpolation as NeMo configs use it, resolved without OmegaConf and without eval."""

from __future__ import annotations

import pytest

from param_lint.dialects.interpolation import InterpolationError, Resolver, Unresolved


def test_relative_interpolation_refers_to_a_sibling_key() -> None:
    data = {"model": {"encoder_seq_length": 2048, "max_position_embeddings": "${.encoder_seq_length}"}}
    assert Resolver(data).value(("model", "max_position_embeddings")) == 2048


def test_absolute_interpolation_starts_at_the_top() -> None:
    data = {"model": {"data": {"seq_length": "${model.encoder_seq_length}"}, "encoder_seq_length": 512}}
    assert Resolver(data).value(("model", "data", "seq_length")) == 512


def test_two_dots_go_one_mapping_up() -> None:
    data = {"model": {"hidden_size": 64, "mlp": {"width": "${..hidden_size}"}}}
    assert Resolver(data).value(("model", "mlp", "width")) == 64


def test_nemo_multiply_resolver_with_a_nested_interpolation() -> None:
    data = {"model": {"hidden_size": 12288, "ffn_hidden_size": "${multiply:4, ${.hidden_size}}"}}
    assert Resolver(data).value(("model", "ffn_hidden_size")) == 49152


def test_text_around_an_interpolation_makes_a_string() -> None:
    data = {"root": "/data", "file": "${root}/vocab.json"}
    assert Resolver(data).value(("file",)) == "/data/vocab.json"


def test_a_cycle_is_reported_with_its_path() -> None:
    with pytest.raises(InterpolationError) as caught:
        Resolver({"a": "${b}", "b": "${a}"}).value(("a",))
    assert caught.value.cycle and "a -> b -> a" in caught.value.message


def test_a_resolver_param_lint_does_not_know_is_never_run() -> None:
    with pytest.raises(InterpolationError, match="oc.env"):
        Resolver({"home": "${oc.env:HOME}"}).value(("home",))


def test_a_missing_key_is_unresolved_in_a_tree_not_an_error() -> None:
    tree = Resolver({"m": {"vocab_file": "${data_dir}/vocab.json", "n": 3}}).resolved_tree(("m",))
    assert tree["n"] == 3 and isinstance(tree["vocab_file"], Unresolved)


def test_a_long_chain_is_bounded() -> None:
    data = {f"k{i}": f"${{k{i + 1}}}" for i in range(100)} | {"k100": 1}
    with pytest.raises(InterpolationError, match="nested more than"):
        Resolver(data).value(("k0",))


def test_huge_products_are_refused() -> None:
    data = {"a": 2**40, "b": "${multiply:${a}, ${multiply:${a}, ${a}}}"}
    with pytest.raises(InterpolationError, match="too large"):
        Resolver(data).value(("b",))
