"""Dialects: every format is recognised by its own signature, and nothing else is judged.

The hook (`--skip-non-configs`) passes over files no dialect recognises, and files that
fail to load for reasons no model config has; a file named without that option gets one
finding that says what param-lint reads.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from param_lint.cli import main
from param_lint.dialects import DIALECTS, looks_like_config, recognise

NONCONFIGS = Path(__file__).parent / "nonconfigs"
EXAMPLES = Path(__file__).parent.parent / "examples"
NONCONFIG_FILES = sorted(p for p in NONCONFIGS.rglob("*") if p.is_file() and p.name != "README.md")


def run_json(capsys, *argv: str) -> tuple[int, dict]:
    status = main(["--isolated", "--format", "json", *argv])
    return status, json.loads(capsys.readouterr().out)


def codes(report: dict) -> list[str]:
    return [d["code"] for f in report["files"] for d in f["diagnostics"]]


@pytest.mark.parametrize("path", NONCONFIG_FILES, ids=lambda p: str(p.relative_to(NONCONFIGS)))
def test_non_config_file_gives_no_finding_in_the_hook(capsys, path: Path) -> None:
    status, report = run_json(capsys, "--skip-non-configs", str(path))
    assert (status, codes(report)) == (0, [])


def test_huge_lock_file_is_passed_over_in_the_hook(capsys, tmp_path: Path) -> None:
    lock = tmp_path / "package-lock.json"
    packages = {f"node_modules/pkg{i}": {"version": "1.0.0", "resolved": "x" * 80} for i in range(15_000)}
    lock.write_text(json.dumps({"name": "dashboard", "lockfileVersion": 3, "packages": packages}))
    assert lock.stat().st_size > 1_900_000
    status, report = run_json(capsys, "--skip-non-configs", str(lock))
    assert (status, codes(report)) == (0, [])


def test_non_config_named_explicitly_gets_one_finding_saying_what_is_read(capsys) -> None:
    status, report = run_json(capsys, str(NONCONFIGS / "hydra-experiment.yaml"))
    [diagnostic] = report["files"][0]["diagnostics"]
    assert (status, diagnostic["code"]) == (1, "PL100")
    assert "config.json" in diagnostic["message"] and "n_layer" in diagnostic["message"]


def test_a_mapping_no_dialect_recognises_is_pl100(capsys) -> None:
    status, report = run_json(capsys, str(NONCONFIGS / "docker-compose.yml"))
    assert (status, codes(report)) == (1, ["PL100"])


@pytest.mark.parametrize("name", ["pyproject.toml", "train.py", "launch.sh"])
def test_other_file_kinds_named_explicitly_are_not_a_format_param_lint_reads(capsys, tmp_path: Path, name) -> None:
    path = tmp_path / name
    path.write_text("[tool.x]\nkey = 1\n")
    status, report = run_json(capsys, str(path))
    [diagnostic] = report["files"][0]["diagnostics"]
    assert (status, diagnostic["code"]) == (1, "PL100")
    assert "not a format param-lint reads" in diagnostic["message"]


def test_other_file_kinds_are_passed_over_in_the_hook(capsys, tmp_path: Path) -> None:
    path = tmp_path / "train.py"
    path.write_text("import torch\n")
    status, report = run_json(capsys, "--skip-non-configs", str(path))
    assert (status, report["files"]) == (0, [])


def test_a_broken_model_config_is_still_reported_in_the_hook(capsys, tmp_path: Path) -> None:
    path = tmp_path / "gpt2.yaml"
    path.write_text("model:\n  n_layer: 12\n  d_model: [768\n")
    status, report = run_json(capsys, "--skip-non-configs", str(path))
    assert (status, codes(report)) == (1, ["PL001"])


def test_a_hugging_face_config_with_a_custom_tag_is_still_reported(capsys, tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("model_type: llama\nhidden_size: !env HIDDEN\n")
    status, report = run_json(capsys, "--skip-non-configs", str(path))
    assert (status, codes(report)) == (1, ["PL003"])


@pytest.mark.parametrize(
    "data",
    [
        {"model": {"_target_": "trainer.Transformer", "n_layer": 2}},
        {"model": {"class_path": "trainer.LitModel"}},
        {"model": "gpt-4o"},
        {"model": {"name": "mpt_causal_lm", "d_model": 768, "n_heads": 12}},
        {"model": {"d_model": 2048, "n_heads": 16, "n_layers": 16, "mlp_ratio": 8}},
        {"base_model": "meta-llama/Llama-2-7b-hf", "model_type": "LlamaForCausalLM"},
        {"model_type": 3},
    ],
    ids=["hydra", "lightning", "model-name", "llm-foundry", "olmo", "axolotl", "numeric-model_type"],
)
def test_no_dialect_claims_a_file_by_a_model_key_alone(data) -> None:
    assert recognise(data) is None or recognise(data).name not in ("native", "huggingface")


@pytest.mark.parametrize(
    "data, dialect",
    [
        ({"model": {"n_layer": 2, "d_model": 64}}, "native"),
        ({"model": {"n_layers": 2, "d_model": 64, "n_head": 4}}, "native"),
        ({"model": {"n_layers": 2}, "expected_params": "1M"}, "native"),
        ({"$schema": "schemas/model-config.schema.json", "model": {}}, "native"),
        ({"model_type": "llama"}, "huggingface"),
        ({"model_type": "bert", "hidden_size": 768}, "huggingface"),
    ],
)
def test_each_format_is_recognised_by_its_signature(data, dialect: str) -> None:
    found = recognise(data)
    assert found is not None and found.name == dialect


def test_every_dialect_describes_itself_and_has_hints() -> None:
    assert len({d.name for d in DIALECTS}) == len(DIALECTS)
    for dialect in DIALECTS:
        assert dialect.description and dialect.hints


def test_looks_like_config_finds_model_keys_in_broken_text() -> None:
    assert looks_like_config('{\n  "model_type": "llama",\n  // a comment\n}')
    assert looks_like_config("model:\n  n_layer: 2\n  d_model: [\n")
    assert not looks_like_config("apiVersion: v1\nkind: Service\n---\nkind: Pod\n")


def test_unsupported_model_type_is_a_warning_that_does_not_fail(capsys, tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"model_type": "xlnet", "hidden_size": 768}')
    status, report = run_json(capsys, str(path))
    [diagnostic] = report["files"][0]["diagnostics"]
    assert (status, diagnostic["code"], diagnostic["severity"]) == (0, "PL102", "warning")
    assert (report["files"][0]["dialect"], report["files"][0]["params"]) == ("huggingface", None)


def test_unsupported_model_type_is_an_error_when_a_count_is_declared(capsys, tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"model_type": "xlnet", "hidden_size": 768, "expected_params": "110M"}')
    status, report = run_json(capsys, str(path))
    [diagnostic] = report["files"][0]["diagnostics"]
    assert (status, diagnostic["code"], diagnostic["severity"]) == (1, "PL102", "error")


def test_unsupported_model_type_is_an_error_when_pyproject_declares_a_count(capsys, tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"model_type": "xlnet", "hidden_size": 768}')
    (tmp_path / "pyproject.toml").write_text('[tool.param-lint.files."config.json"]\nexpected_params = "110M"\n')
    status = main(["--config", str(tmp_path / "pyproject.toml"), "--format", "json", str(tmp_path / "config.json")])
    report = json.loads(capsys.readouterr().out)
    assert (status, report["files"][0]["diagnostics"][0]["severity"]) == (1, "error")


def test_a_model_type_param_lint_does_not_count_may_shape_its_keys_its_own_way(capsys, tmp_path: Path) -> None:
    path = tmp_path / "config.json"  # PVTv2: heads and widths per stage, as lists
    path.write_text('{"model_type": "pvt_v2", "num_attention_heads": [1, 2, 5, 8], "hidden_size": 256}')
    status, report = run_json(capsys, str(path))
    assert (status, codes(report)) == (0, ["PL102"])


def test_param_lint_keys_are_still_checked_in_a_model_type_it_does_not_count(capsys, tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"model_type": "pvt_v2", "num_attention_heads": [1, 2], "expected_params": [3]}')
    status, report = run_json(capsys, str(path))
    assert (status, codes(report)) == (1, ["PL101"])


def test_a_counted_model_type_still_gets_the_schema_finding(capsys, tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text('{"model_type": "llama", "num_attention_heads": [32, 32], "hidden_size": 4096}')
    status, report = run_json(capsys, str(path))
    assert (status, codes(report)) == (1, ["PL101"])


def test_json_output_names_each_files_dialect(capsys) -> None:
    _, report = run_json(capsys, str(EXAMPLES / "article-gpt3-175b.yaml"), str(EXAMPLES / "hf-llama-2-7b.json"))
    assert [(f["dialect"], f.get("family")) for f in report["files"]] == [("native", None), ("huggingface", "llama")]


@pytest.mark.parametrize("path", sorted((EXAMPLES / "broken").iterdir()), ids=lambda p: p.name)
def test_every_broken_example_still_fails_in_the_hook(capsys, path: Path) -> None:
    status, report = run_json(capsys, "--skip-non-configs", str(path))
    assert status == 1
    assert any(d["severity"] == "error" for d in report["files"][0]["diagnostics"])


def test_a_yaml_1_1_number_in_an_architecture_key_is_pl101_and_still_counted(capsys, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("model:\n  n_vocab: 10\n  n_context: 4\n  n_layer: 010\n  d_model: 8\n  n_head: 2\n")
    status, report = run_json(capsys, str(path))
    [diagnostic] = report["files"][0]["diagnostics"]
    assert (status, diagnostic["code"], diagnostic["line"]) == (1, "PL101", 4)
    assert report["files"][0]["params"] is not None  # counted with 8 layers, as PyYAML reads 010


def test_a_yaml_1_1_number_elsewhere_in_a_config_is_not_the_counts_business(capsys, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "model:\n  n_vocab: 10\n  n_context: 4\n  n_layer: 1\n  d_model: 8\n  n_head: 2\nsave_every: 1:30\n"
    )
    assert run_json(capsys, str(path))[0] == 0


def test_a_yaml_1_1_number_in_a_non_config_named_explicitly_is_only_pl100(capsys) -> None:
    status, report = run_json(capsys, str(NONCONFIGS / "docker-compose.yml"))
    assert codes(report) == ["PL100"]
