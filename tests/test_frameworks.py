"""Training-framework dialects: LitGPT, OLMo, MaxText, llm-foundry, levanter, nanotron.

Counts are compared with each framework's own code (litgpt, ai2-olmo) or with the
transformers model its code corresponds to (tools/framework_hf_reference.py), run offline
by the scripts in tools/; these tests only read their committed output.
"""

from __future__ import annotations

import collections
import json
import os
from pathlib import Path
from typing import Any

import pytest

from param_lint import load
from param_lint.cli import main
from tests.framework_helpers import pyproject, shared_configs

HERE = Path(__file__).resolve().parent / "frameworks"
SHARED = shared_configs() or Path("../shared/framework-configs absent")
LITGPT = json.loads((HERE / "litgpt_golden.json").read_text())["files"]
OLMO = json.loads((HERE / "olmo_golden.json").read_text())["files"]
OLMO_CORE = json.loads((HERE / "olmo_core_golden.json").read_text())["files"]
HF = {key: value["params"] for key, value in json.loads((HERE / "hf_golden.json").read_text())["files"].items()}
# megablocks' dMoE instantiated as llm-foundry builds mb_dmoe (tools/moe_reference.py).
MOE = {
    key.removeprefix("shared:").removeprefix("tests/frameworks/"): value["params"]
    for key, value in json.loads((HERE / "moe_golden.json").read_text()).items()
    if "llm-foundry/" in key
}
# The vocabulary of files that name a hub tokenizer (len(tokenizer), as the golden tool has it).
N_VOCAB = {
    "gemma-named-tokenizer.yaml": 256000,
    "mixtral-defaults.yaml": 32000,
    "llama2_7b.yaml": 32000,
    "gemma_2b.yaml": 256000,
    "mixtral_8x7b.yaml": 32000,
    "gpt2_small.yaml": 50257,
    "llama_1b_with_olmo_config.yaml": 50280,
}
DIALECT_OF_FOLDER = {
    "litgpt": "litgpt",
    "checkpoint": "litgpt",
    "olmo": "olmo",
    "olmo-core": "olmo-core",
    "maxtext": "maxtext",
    "llm-foundry": "llm-foundry",
    "levanter": "levanter",
    "nanotron": "nanotron",
}


def golden(path: Path) -> int | None:
    """The framework's own count for a file, if a reference tool measured it."""
    if path.name in LITGPT and path.parent.name in ("litgpt", "checkpoint"):
        return LITGPT[path.name]
    if path.parent.name == "olmo":
        return OLMO.get(path.name)
    if path.parent.name == "olmo-core":
        return OLMO_CORE.get(path.name)
    key = f"{path.parent.name}/{path.name}"
    return HF.get(key, MOE.get(key))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    status = main(["--format", "json", *args])
    return status, json.loads(capsys.readouterr().out)["files"]


def lint(capsys: pytest.CaptureFixture[str], tmp_path: Path, path: Path, **declared: object) -> tuple[int, dict]:
    """Lint one file with its n_vocab (when it names a tokenizer) and `declared` in a pyproject."""
    entry = dict(declared)
    if path.name in N_VOCAB:
        entry["n_vocab"] = N_VOCAB[path.name]
    status, files = run(capsys, "--config", pyproject(tmp_path, {path.name: entry} if entry else {}), str(path))
    return status, files[0]


FIXTURES = sorted(p for p in HERE.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and golden(p) is not None)


def test_every_fixture_with_an_architecture_has_a_reference_count() -> None:
    assert len(FIXTURES) >= 20
    assert {p.parent.name for p in FIXTURES} == set(DIALECT_OF_FOLDER)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_count_equals_the_frameworks_own(
    path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, result = lint(capsys, tmp_path, path)
    assert (result["dialect"], result["params"]) == (DIALECT_OF_FOLDER[path.parent.name], golden(path))
    assert status == 0, result["diagnostics"]


# --- the collected configs in ../shared (skipped when it is absent) --------------------------
FORMATS = ("litgpt", "olmo", "maxtext", "llm-foundry", "levanter", "nanotron")
# Files of these formats that define no architecture param-lint can count, and why.
NOT_COUNTED = {
    "litgpt/finetune-llama-3-8b-lora.yaml": "the checkpoint's model_config.yaml",
    "llm-foundry/gpt2-small.yaml": "pretrained model 'gpt2'",
    "llm-foundry/hf-llama-3.1-8B.yaml": "pretrained model 'meta-llama/Meta-Llama-3.1-8B'",
    "nanotron/config_qwen_with_moe.yaml": "moe_config",
}
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/framework-configs is absent")


def shared_files() -> list[Path]:
    if not SHARED.is_dir():
        return []
    return sorted(p for folder in FORMATS for p in (SHARED / folder).glob("*.y*ml"))


@needs_shared
def test_every_collected_config_is_counted_or_known_not_countable() -> None:
    names = {f"{p.parent.name}/{p.name}" for p in shared_files()}
    counted = {name for name in names if golden(SHARED / name) is not None}
    assert names == counted | set(NOT_COUNTED)
    assert len(counted) >= 24


@needs_shared
@pytest.mark.parametrize("path", shared_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_collected_config_count_equals_the_frameworks_own(
    path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, result = lint(capsys, tmp_path, path)
    assert result["dialect"] == DIALECT_OF_FOLDER[path.parent.name]
    reason = NOT_COUNTED.get(f"{path.parent.name}/{path.name}")
    if reason is None:
        assert result["params"] == golden(path)
        assert [d["code"] for d in result["diagnostics"]] == []
    else:
        assert result["params"] is None
        assert [(d["code"], d["severity"]) for d in result["diagnostics"] if d["code"] != "PL002"] == [
            ("PL102", "warning")
        ]
        assert reason in result["diagnostics"][-1]["message"]


@needs_shared
def test_levanter_llama2_7b_has_llama3_8b_shapes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Declared as Llama-2-7B (6,738,415,616), the file builds 7,241,732,096 parameters."""
    status, result = lint(capsys, tmp_path, SHARED / "levanter" / "llama2_7b.yaml", expected_params=6_738_415_616)
    assert status == 1
    assert result["params"] == 7_241_732_096
    assert [d["code"] for d in result["diagnostics"]] == ["PL201"]


@needs_shared
def test_axolotl_recipes_are_passed_over_by_the_hook(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(p) for p in sorted((SHARED / "axolotl").glob("*.y*ml"))]
    assert paths
    status = main(["--isolated", "--skip-non-configs", *paths])
    assert (status, capsys.readouterr().out.strip()) == (0, "All checks passed (0 files).")


# --- behaviours, one per test ----------------------------------------------------------------
def test_litgpt_named_config_comes_from_the_shipped_table(capsys: pytest.CaptureFixture[str]) -> None:
    status, files = run(capsys, "--isolated", str(HERE / "litgpt" / "pretrain-model-name.yaml"))
    assert files[0]["params"] == LITGPT["pretrain-model-name.yaml"] == 162_322_944


def test_litgpt_unknown_model_name_cannot_be_counted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "pretrain.yaml"
    path.write_text("model_name: no-such-model\nout_dir: out\ntrain:\n  micro_batch_size: 1\n")
    status, files = run(capsys, "--isolated", str(path))
    (finding,) = files[0]["diagnostics"]
    assert (status, finding["code"], finding["line"]) == (0, "PL102", 1)
    assert "'no-such-model' is not one of LitGPT's named configs" in finding["message"]


def test_litgpt_finetune_recipe_with_a_declared_count_is_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = HERE / "litgpt" / "finetune-lora.yaml"
    status, result = lint(capsys, tmp_path, path, expected_params="8B")
    assert (status, [(d["code"], d["severity"]) for d in result["diagnostics"]]) == (1, [("PL102", "error")])


def test_olmo_is_read_before_the_native_format(capsys: pytest.CaptureFixture[str]) -> None:
    """OLMo's model block has native's d_model; its n_heads/n_layers mark it as OLMo's."""
    status, files = run(capsys, "--isolated", str(HERE / "olmo" / "olmo-defaults.yaml"))
    assert (files[0]["dialect"], files[0]["params"]) == ("olmo", OLMO["olmo-defaults.yaml"])


def test_maxtext_global_parameter_scale_doubles_in_turn(capsys: pytest.CaptureFixture[str]) -> None:
    """Scale 16: heads and MLP x4, embedding x2, layers x2 (the breakdown shows the shapes)."""
    assert main(["--isolated", "--breakdown", str(HERE / "maxtext" / "tiny-scaled.yml")]) == 0
    out = capsys.readouterr().out
    assert "W_Q                 (128, 256)" in out  # d_model 64*2, 2*4 heads of 32
    assert "layer (x 2)" in out


def test_maxtext_scaled_layer_count_is_no_disagreement_with_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    # base_num_decoder_layers 1 is 2 layers at scale 16 by design, not a depth the model ignores
    assert main(["--isolated", str(HERE / "maxtext" / "tiny-scaled.yml")]) == 0
    assert "PL303" not in capsys.readouterr().out


def test_maxtext_unknown_decoder_block_cannot_be_counted(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "model.yml"
    path.write_text('base_emb_dim: 64\nbase_num_decoder_layers: 2\ndecoder_block: "llama4"\n')
    status, files = run(capsys, "--isolated", str(path))
    (finding,) = files[0]["diagnostics"]
    assert (finding["code"], finding["line"]) == ("PL102", 3)
    assert "decoder_block 'llama4' is not counted" in finding["message"]


def test_maxtext_router_bias_is_a_parameter(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--isolated", "--breakdown", str(HERE / "maxtext" / "tiny-deepseek.yml")])
    assert "b_router            (8)" in capsys.readouterr().out


def test_llm_foundry_hf_causal_lm_names_the_pretrained_model(capsys: pytest.CaptureFixture[str]) -> None:
    status, files = run(capsys, "--isolated", str(HERE / "llm-foundry" / "hf-causal-lm.yaml"))
    (finding,) = files[0]["diagnostics"]
    assert finding["code"] == "PL102"
    assert "'meta-llama/Meta-Llama-3.1-8B'" in finding["message"]  # the ${variables.model_name} it points at


def test_llm_foundry_reference_to_a_missing_variable_cannot_be_counted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (HERE / "llm-foundry" / "mpt-tiny.yaml").read_text()
    path = tmp_path / "mpt.yaml"
    path.write_text(text.replace("  max_seq_len: ${variables.max_seq_len}", "  max_seq_len: ${variables.nowhere}"))
    status, files = run(capsys, "--isolated", str(path))
    (finding,) = files[0]["diagnostics"]
    assert (status, finding["code"], finding["line"]) == (0, "PL102", 12)
    assert "'${variables.nowhere}': an interpolation param-lint cannot resolve" in finding["message"]


def test_levanter_named_tokenizer_needs_n_vocab(capsys: pytest.CaptureFixture[str]) -> None:
    status, files = run(capsys, "--isolated", str(HERE / "levanter" / "gemma-named-tokenizer.yaml"))
    (finding,) = files[0]["diagnostics"]
    assert (status, finding["code"], finding["line"]) == (0, "PL102", 3)
    assert "'google/gemma-2b'" in finding["message"] and "n_vocab" in finding["message"]


def test_levanter_local_tokenizer_gives_the_vocabulary(capsys: pytest.CaptureFixture[str]) -> None:
    """501 token ids in tokenizer.json, padded to model_axis_size 4: W_E has 504 rows."""
    main(["--isolated", "--breakdown", str(HERE / "levanter" / "llama-local-tokenizer.yaml")])
    assert "W_E                 (504, 128)" in capsys.readouterr().out


def test_levanter_include_is_resolved_relative_to_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    status, files = run(capsys, "--isolated", str(HERE / "levanter" / "gpt2-include.yaml"))
    assert (status, files[0]["params"]) == (0, HF["levanter/gpt2-include.yaml"])


def test_levanter_include_reads_and_parses_each_file_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: collections.Counter[str] = collections.Counter()
    opened: collections.Counter[str] = collections.Counter()
    load_text, os_open = load.load_text, os.open

    def counted_parse(path: str, *args: Any) -> load.LoadResult:
        parsed[Path(path).name] += 1
        return load_text(path, *args)

    def counted_open(path: Any, *args: Any, **kwargs: Any) -> int:
        opened[Path(path).name] += 1
        return os_open(path, *args, **kwargs)

    monkeypatch.setattr(load, "load_text", counted_parse)
    monkeypatch.setattr(os, "open", counted_open)
    status, files = run(capsys, "--isolated", "--jobs", "1", str(HERE / "levanter" / "gpt2-include.yaml"))
    assert (status, files[0]["params"]) == (0, HF["levanter/gpt2-include.yaml"])
    assert parsed == {"gpt2-include.yaml": 1, "tiny.yaml": 1}
    assert opened["gpt2-include.yaml"] == opened["tiny.yaml"] == 1


def test_levanter_include_cycle_is_a_finding_where_it_closes(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["--isolated", str(HERE / "levanter" / "include-cycle.yaml")])
    out = capsys.readouterr().out
    assert status == 1
    assert "include-cycle-data.yaml:2:7: PL003 !include include-cycle.yaml is a cycle" in out
    assert "(include-cycle.yaml -> include-cycle-data.yaml -> include-cycle.yaml)" in out


def test_levanter_include_outside_the_repository_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    status, files = run(capsys, "--isolated", str(HERE / "levanter" / "include-escape.yaml"))
    (finding,) = files[0]["diagnostics"]
    assert (status, finding["code"], finding["line"]) == (1, "PL003", 1)
    assert "leaves the repository" in finding["message"]


def test_nanotron_pads_the_vocabulary_by_tensor_parallel_size(capsys: pytest.CaptureFixture[str]) -> None:
    """vocab_size 1000, make_vocab_size_divisible_by 64, tp 2: 1024 rows."""
    main(["--isolated", "--breakdown", str(HERE / "nanotron" / "tiny-llama.yaml")])
    out = capsys.readouterr().out
    assert "W_E                 (1,024, 128)" in out
    assert "vocabulary 1,000 padded to 1,024 (make_vocab_size_divisible_by 64 x parallelism.tp 2 = 128)" in out


def test_nanotron_parallel_sizes_feed_the_launch_checks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "tp3.yaml"
    path.write_text((HERE / "nanotron" / "tiny-llama.yaml").read_text().replace("tp: 2", "tp: 3"))
    status, files = run(capsys, "--isolated", str(path))
    assert status == 1
    assert [d["code"] for d in files[0]["diagnostics"]][:1] == ["PL401"]  # 4 heads over 3 ranks


def test_padding_is_shown_as_each_framework_states_it(capsys: pytest.CaptureFixture[str]) -> None:
    for name, note in (
        (
            "litgpt/pretrain-model-config.yaml",
            "vocabulary 1,000 padded to 1,024 (padding_multiple 64): 24 padding rows",
        ),
        ("olmo/olmo-defaults.yaml", "vocabulary 1,000 padded to 1,024 (embedding_size): 24 padding rows"),
        ("levanter/llama-local-tokenizer.yaml", "vocabulary 501 padded to 504 (trainer.model_axis_size 4 = 4)"),
    ):
        main(["--isolated", "--breakdown", str(HERE / name)])
        assert note in capsys.readouterr().out, name


def test_fix_declares_in_a_directive_not_a_key_the_framework_rejects(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """OLMo's TrainConfig refuses unknown keys: --fix writes `# param-lint:` above the file."""
    path = tmp_path / "olmo.yaml"
    path.write_text((HERE / "olmo" / "olmo-defaults.yaml").read_text())
    assert main(["--isolated", "--select", "PL202", "--fix", str(path)]) == 0
    assert path.read_text().startswith("# param-lint: expected_params=1_612_800\n# OLMo trainer YAML")
    assert "expected_params:" not in path.read_text()


def test_includes_cannot_fan_out_without_bound(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Ten includes of ten includes ... (10^5 files' worth) stop at 64 includes, reported once."""
    (tmp_path / ".git").mkdir()
    for level in range(5):
        (tmp_path / f"l{level}.yaml").write_text("".join(f"k{j}: !include l{level + 1}.yaml\n" for j in range(10)))
    (tmp_path / "l5.yaml").write_text("leaf: 1\n")
    (tmp_path / "main.yaml").write_text("data: !include l0.yaml\nmodel:\n  type: llama\n")
    assert main(["--isolated", str(tmp_path / "main.yaml")]) == 1
    out = capsys.readouterr().out
    assert out.count("PL003") == 1 and "a file may pull in 64 in all" in out


def test_every_litgpt_named_config_counts_as_litgpt_builds_it() -> None:
    """All 210 of litgpt.config.configs, shipped as data, against GPT(config) on the meta device."""
    import param_lint

    named = json.loads((HERE / "litgpt_golden.json").read_text())["named"]
    assert len(named) == 210
    counted = {
        name: param_lint.count({"model_name": name, "out_dir": "out", "train": {"micro_batch_size": 1}}).total
        for name in named
    }
    assert counted == named
