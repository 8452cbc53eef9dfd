"""GPT-NeoX configs: counts equal the faithful Hugging Face equivalent of what gpt-neox builds.

tests/neox/golden.json holds what tools/make_neox_golden.py measured (transformers 4.57.6
on the meta device: GPTNeoXConfig, LlamaConfig or GPT2Config with gpt-neox's widths).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.framework_helpers import Golden, codes, lint_json, needs_shared, pyproject

HERE = Path(__file__).parent
GOLDEN = Golden(HERE / "golden.json")
FIXTURES, SHARED = GOLDEN.fixtures, GOLDEN.shared
# The dropless-MoE configs, measured with megablocks' dMoE by tools/moe_reference.py.
MOE = Golden(HERE.parent / "frameworks" / "moe_golden.json")
MOE_FIXTURES = [key for key in MOE.fixtures if key.startswith("tests/neox/")]
MOE_SHARED = [key for key in MOE.shared if key.startswith("gpt-neox/")]
declared = GOLDEN.declared


LLAMA2_7B = 6_738_415_616  # Hugging Face meta-llama/Llama-2-7b-hf
MISTRAL_7B = 7_241_732_096  # Hugging Face mistralai/Mistral-7B-v0.1


@pytest.mark.parametrize("fixture", FIXTURES)
def test_fixture_count_equals_the_hugging_face_equivalent(
    fixture: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, entry = GOLDEN.lint_fixture(capsys, tmp_path, fixture)
    assert (entry["dialect"], entry["params"]) == ("gpt-neox", GOLDEN[fixture]["params"])
    assert status == 0, entry["diagnostics"]


@pytest.mark.parametrize("relpath", SHARED)
def test_shared_config_count_equals_the_hugging_face_equivalent(
    relpath: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, entry = GOLDEN.lint_shared(capsys, tmp_path, relpath)
    assert entry["params"] == GOLDEN[f"shared:{relpath}"]["params"]


@pytest.mark.parametrize("fixture", MOE_FIXTURES)
def test_dropless_moe_fixture_count_equals_megablocks_dmoe(
    fixture: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, entry = MOE.lint_fixture(capsys, tmp_path, fixture)
    assert (entry["dialect"], entry["params"]) == ("gpt-neox", MOE[fixture]["params"])
    assert status == 0, entry["diagnostics"]


@pytest.mark.parametrize("relpath", MOE_SHARED)
def test_shared_dropless_moe_count_equals_megablocks_dmoe(
    relpath: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, entry = MOE.lint_shared(capsys, tmp_path, relpath, glob=Path(relpath).name)
    assert entry["params"] == MOE[f"shared:{relpath}"]["params"]
    assert (status, entry["diagnostics"]) == (0, [])


def test_dropless_moe_with_a_gated_activation_is_not_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "gated-moe.yml"
    path.write_text((HERE / "dmoe-like.yml").read_text().replace('"norm": "layernorm"', '"activation": "swiglu"'))
    _, report = lint_json(capsys, "--isolated", str(path))
    (finding,) = report["files"][0]["diagnostics"]
    assert finding["code"] == "PL102" and "gated activation" in finding["message"]


def test_experts_must_divide_over_the_model_parallel_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (HERE / "dmoe-like.yml").read_text().replace('"model_parallel_size": 1', '"model_parallel_size": 3')
    path = tmp_path / "moe-tp3.yml"
    path.write_text(text.replace('"num_attention_heads": 4', '"num_attention_heads": 6').replace(": 64,", ": 96,"))
    _, report = lint_json(capsys, "--isolated", str(path))
    (finding,) = [d for d in report["files"][0]["diagnostics"] if d["code"] == "PL404"]
    assert "moe_num_experts (4) is not divisible by model_parallel_size (3)" in finding["message"]


def test_every_shared_neox_file_that_defines_a_model_is_measured_or_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = needs_shared()
    _, report = lint_json(capsys, "--isolated", str(folder / "gpt-neox"))
    neox = {Path(f["path"]).name: f for f in report["files"] if f.get("dialect") == "gpt-neox"}
    measured = {Path(p).name for p in SHARED + MOE_SHARED}
    # mistral-7B.yml cannot run (PL101)
    assert set(neox) == measured | {"mistral-7B.yml"}


def test_dash_and_underscore_spellings_are_one_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "both.yml"
    path.write_text(
        '{"num_layers": 2, "num-layers": 4, "hidden_size": 64, "num_attention_heads": 4, "pos_emb": "rotary"}\n'
    )
    _, report = lint_json(capsys, "--isolated", str(path))
    (finding,) = report["files"][0]["diagnostics"]
    assert finding["code"] == "PL101" and "given twice" in finding["message"]


def test_a_gated_width_from_before_the_mlp_change_cannot_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (HERE / "llama-like.yml").read_text().replace('"intermediate_size": 8192', '"intermediate_size": 2816')
    text = text.replace('"mlp_multiple_of": 256,\n', "")
    path = tmp_path / "old-width.yml"
    path.write_text(text)
    _, report = lint_json(capsys, "--isolated", str(path))
    (finding,) = report["files"][0]["diagnostics"]
    assert finding["code"] == "PL101" and "cannot run" in finding["message"]
    assert "intermediate_size: 8,448 (3 x 2,816)" in finding["message"]


def test_merged_fragment_sets_the_padding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # merged-setup.yml sets model_parallel_size 4: 50,277 tokens padded to 512 -> 50,688
    settings = declared(tmp_path, "tests/neox/merged-arch.yml")
    _, report = lint_json(capsys, "--config", settings, "--breakdown", str(HERE / "merged-arch.yml"))
    terms = {t["name"]: t for s in report["files"][0]["breakdown"] for t in s["terms"]}
    assert terms["W_E"]["shape"] == [50688, 256]


def test_a_key_in_two_merged_files_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "setup.yml").write_text('{"model_parallel_size": 2, "num-layers": 3}\n')
    arch = tmp_path / "arch.yml"
    arch.write_text(
        "# gpt-neox-merge: setup.yml\n"
        '{"num_layers": 2, "hidden_size": 64, "num_attention_heads": 4, "pos_emb": "rotary"}\n'
    )
    _, report = lint_json(capsys, "--isolated", str(arch))
    (finding,) = report["files"][0]["diagnostics"]
    assert finding["code"] == "PL101" and "setup.yml" in finding["message"]


def test_a_setup_fragment_alone_is_not_a_model_config(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = lint_json(capsys, "--isolated", "--skip-non-configs", str(HERE / "merged-setup.yml"))
    assert report["files"] == []


def test_llama2_7b_from_gpt_neox_fails_against_llama2s_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = needs_shared()
    settings = pyproject(
        tmp_path, {"gpt-neox/llama2-7B.yml": {"n_vocab": 32000, "expected_params": LLAMA2_7B, "tolerance": "0"}}
    )
    status, report = lint_json(capsys, "--config", settings, str(folder / "gpt-neox" / "llama2-7B.yml"))
    (entry,) = report["files"]
    assert entry["params"] - LLAMA2_7B == 835_584  # 32 x (22,016 + 4,096) MLP biases
    assert codes(report) == ["PL201"] and status == 1


def test_mistral_7b_from_gpt_neox_fails_against_mistrals_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = needs_shared()
    settings = pyproject(
        tmp_path, {"gpt-neox/mistral-7B.yml": {"n_vocab": 32000, "expected_params": MISTRAL_7B, "tolerance": "0"}}
    )
    status, report = lint_json(capsys, "--config", settings, str(folder / "gpt-neox" / "mistral-7B.yml"))
    assert status == 1
    (finding,) = report["files"][0]["diagnostics"]
    assert finding["code"] == "PL101" and "cannot run" in finding["message"]
