"""The Megatron family (NeMo 1/Launcher, NeMo 2 dumps, Megatron-Bridge, Megatron-LM --yaml-cfg).

Counts equal megatron-core's own GPTModel: tests/megatron/golden.json holds what
tools/make_megatron_golden.py measured (megatron-core 0.16.1, local layer spec, meta
device, gloo world size 1). The fixtures here are ours, one or more per flavour; the files
in ../shared/framework-configs are checked when that folder is present.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.framework_helpers import Golden, codes, lint_json, needs_shared, pyproject

HERE = Path(__file__).parent
GOLDEN = Golden(HERE / "golden.json")
FIXTURES, SHARED = GOLDEN.fixtures, GOLDEN.shared
declared = GOLDEN.declared


@pytest.mark.parametrize("fixture", FIXTURES)
def test_fixture_count_equals_megatron_core(fixture: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, entry = GOLDEN.lint_fixture(capsys, tmp_path, fixture)
    assert (entry["dialect"], entry["params"]) == ("megatron", GOLDEN[fixture]["params"])
    assert entry.get("active_params", entry["params"]) == GOLDEN[fixture].get("active_params", entry["params"])
    assert status == 0, entry["diagnostics"]


@pytest.mark.parametrize("relpath", SHARED)
def test_shared_config_count_equals_megatron_core(
    relpath: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, entry = GOLDEN.lint_shared(capsys, tmp_path, relpath)
    assert entry["params"] == GOLDEN[f"shared:{relpath}"]["params"]


def test_every_shared_megatron_file_that_defines_a_model_is_measured(capsys: pytest.CaptureFixture[str]) -> None:
    folder = needs_shared()
    files = sorted(p for d in ("nemo", "megatron-lm", "megatron-deepspeed") for p in (folder / d).glob("*.y*ml"))
    files += sorted((folder / "megatron-deepspeed").glob("*.json"))  # a DeepSpeed config: not a model
    _, report = lint_json(capsys, "--isolated", *map(str, files))
    megatron = {
        Path(f["path"]).relative_to(folder).as_posix(): f for f in report["files"] if f.get("dialect") == "megatron"
    }
    # the only one that names no architecture: a Megatron-Bridge override of a Python recipe
    assert set(megatron) == set(SHARED) | {"megatron-lm/bridge-llama32_1b_pretrain-override.yaml"}


def test_a_named_tokenizer_without_n_vocab_cannot_be_counted(capsys: pytest.CaptureFixture[str]) -> None:
    status, report = lint_json(capsys, "--isolated", str(HERE / "nemo1-gpt.yaml"))
    (entry,) = report["files"]
    (finding,) = entry["diagnostics"]
    assert finding["code"] == "PL102" and entry["params"] is None
    assert "GPT2BPETokenizer" in finding["message"] and "n_vocab" in finding["message"]
    assert (finding["line"], finding["column"]) == (23, 3)  # model.tokenizer
    assert status == 0  # a warning, unless a count is declared


def test_a_named_tokenizer_with_a_declared_count_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = pyproject(tmp_path, {"nemo1-gpt.yaml": {"expected_params": "39M"}})
    status, report = lint_json(capsys, "--config", settings, str(HERE / "nemo1-gpt.yaml"))
    assert codes(report) == ["PL102"] and status == 1


def test_vocabulary_is_padded_to_divisible_by_times_tensor_parallel(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # nemo1-llama: 32,000 tokens, make_vocab_size_divisible_by 128 x TP 4 = 512 -> 32,256 rows
    settings = declared(tmp_path, "tests/megatron/nemo1-llama.yaml")
    _, report = lint_json(capsys, "--config", settings, "--breakdown", str(HERE / "nemo1-llama.yaml"))
    terms = {t["name"]: t for s in report["files"][0]["breakdown"] for t in s["terms"]}
    assert terms["W_E"]["shape"] == [32256, 1024] and terms["W_U"]["shape"] == [1024, 32256]


def test_breakdown_shows_the_padding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from param_lint.cli import main

    settings = declared(tmp_path, "tests/megatron/nemo1-llama.yaml")
    capsys.readouterr()
    main(["--config", settings, "--breakdown", str(HERE / "nemo1-llama.yaml")])
    out = capsys.readouterr().out
    assert (
        "vocabulary 32,000 padded to 32,256 (make_vocab_size_divisible_by 128 x tensor_model_parallel_size 4 = 512)"
        in out
    )


def test_an_interpolation_cycle_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cycle.yaml"
    path.write_text(
        "model:\n  num_layers: 2\n  hidden_size: ${.ffn_hidden_size}\n"
        "  ffn_hidden_size: ${multiply:4, ${.hidden_size}}\n  num_attention_heads: 8\n"
    )
    status, report = lint_json(capsys, "--isolated", str(path))
    (finding,) = report["files"][0]["diagnostics"]
    assert finding["code"] == "PL101" and "interpolation cycle" in finding["message"]
    assert (finding["line"], finding["column"]) == (3, 3)
    assert status == 1


def test_an_unknown_resolver_is_not_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "env.yaml"
    path.write_text(
        "model:\n  num_layers: ${oc.env:LAYERS}\n  hidden_size: 512\n"
        "  ffn_hidden_size: 2048\n  num_attention_heads: 8\n"
    )
    _, report = lint_json(capsys, "--isolated", str(path))
    (finding,) = report["files"][0]["diagnostics"]
    assert finding["code"] == "PL101" and "oc.env" in finding["message"] and finding["line"] == 2


def test_a_bridge_override_without_architecture_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "override.yaml"
    path.write_text("model:\n  seq_length: 4096\n  tensor_model_parallel_size: 2\ntrain:\n  train_iters: 10\n")
    _, report = lint_json(capsys, "--isolated", str(path))
    assert codes(report) == ["PL102"]
    assert "recipe" in report["files"][0]["diagnostics"][0]["message"]


def test_launch_checks_run_when_the_vocabulary_is_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tp.yaml"
    path.write_text(
        "model:\n  num_layers: 4\n  hidden_size: 1536\n  num_attention_heads: 12\n  ffn_hidden_size: 6144\n"
        "  tensor_model_parallel_size: 8\n  position_embedding_type: rope\n  tokenizer: {type: GPT2BPETokenizer}\n"
    )
    _, report = lint_json(capsys, "--isolated", str(path))
    assert sorted(codes(report)) == ["PL102", "PL401"]


def test_n_vocab_and_the_count_can_be_declared_in_a_comment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gpt.yaml"
    golden = GOLDEN["tests/megatron/nemo1-gpt.yaml"]["params"]
    directive = f"# param-lint: n_vocab=50257 expected_params={golden} tolerance=0\n"
    path.write_text(directive + (HERE / "nemo1-gpt.yaml").read_text())
    status, report = lint_json(capsys, "--isolated", str(path))
    assert report["files"][0]["params"] == golden and status == 0
