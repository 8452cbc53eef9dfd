"""The README is part of the contract: its commands, tables and sample output stay true."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from param_lint.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_exactly_two_setup_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block and README.index(first_block.group(0)) < README.index("## ")
    commands = first_block.group(1).strip().splitlines()
    assert len(commands) == 2
    assert "param-lint examples/" in commands[0]
    assert "pip install" in commands[1] and "[test]" in commands[1] and "pytest" in commands[1]


def test_ci_runs_the_readmes_test_command() -> None:
    test_command = re.search(r"```sh\n.*?\n(.*?)\n```", README, re.S).group(1)
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_readme_documents_every_rule_code() -> None:
    documented = set(re.findall(r"^\| (PL\d{3}) \|", README, re.M))
    assert documented == set(RULES)


def test_readme_documents_every_hook() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        assert f"id: {hook['id']}" in README


SAMPLES = re.findall(r"```text\n\$ (param-lint [^\n]*)\n(.*?)```", README, re.S)


@pytest.mark.parametrize(("command", "expected"), SAMPLES, ids=[c for c, _ in SAMPLES])
def test_readme_sample_output_is_what_param_lint_prints(command: str, expected: str) -> None:
    from tests.test_cli import param_lint

    assert param_lint(*shlex.split(command)[1:], cwd=ROOT).stdout == expected


def test_readme_lists_every_hugging_face_family() -> None:
    from param_lint.dialects.hf import FAMILIES

    section = README[README.index("## Hugging Face") : README.index("## Rules")]
    listed = set(re.findall(r"\b([a-z][a-z0-9_]+(?:-[a-z0-9]+)*)\b", section))  # xlm-roberta, deberta-v2
    assert set(FAMILIES) <= listed


def test_readme_decoder_table_counts_the_configs_in_tests_hf_configs() -> None:
    section = README[README.index("## Hugging Face") : README.index("## Rules")]
    table = section[section.index("| configs | model types |") : section.index("`kimi_k2` is")]
    rows = re.findall(r"^\| (\d+) \| ([a-z0-9_, ]+) \|$", table, re.M)
    listed = {name: int(n) for n, names in rows for name in names.split(", ")}
    configs = ROOT / "tests" / "hf" / "configs"
    assert listed == {name: len(list((configs / name).glob("*.json"))) for name in listed}
    [in_all] = re.findall(r"\((\d+) in all;", section)
    assert int(in_all) == sum(listed.values())


def test_readme_says_0_published_configs_for_exactly_the_types_backed_by_configs_of_our_own() -> None:
    from param_lint.dialects.hf import OWN_CONFIGS_ONLY

    section = README[README.index("## Hugging Face") : README.index("## Rules")]
    decoders = {
        name for names in re.findall(r"^\| 0 \| ([a-z0-9_, ]+) \|$", section, re.M) for name in names.split(", ")
    }
    composites = set(re.findall(r"^\| ([a-z0-9_]+) \(.*\| 0 \(configs of our own only", section, re.M))
    assert decoders | composites == OWN_CONFIGS_ONLY
    own = ROOT / "tests" / "hf"
    for name in decoders:
        assert list((own / "configs_own" / name).glob("*.json")) and not (own / "configs" / name).exists()
    for name in composites:
        assert list((own / "composite_own" / name).glob("*.json")) and not (own / "composite" / name).exists()


def test_readme_says_how_many_hugging_face_model_types_have_tensor_names() -> None:
    from param_lint.checkpoint.names import NAMINGS
    from param_lint.dialects.hf import FAMILIES

    [said] = re.findall(r"Supported for every Hugging Face family above \((\d+) `model_type`s", README)
    assert int(said) == len(FAMILIES) == len(NAMINGS)


def fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


@pytest.mark.parametrize("block", fenced("yaml"), ids=lambda block: block.splitlines()[0])
def test_readme_yaml_examples_parse(block: str) -> None:
    yaml.safe_load(block)


def test_readme_python_api_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import doctest

    monkeypatch.chdir(ROOT)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for block in fenced("pycon"):
        runner.run(doctest.DocTestParser().get_doctest(block, {}, "README", "README.md", 0))
    assert runner.summarize(verbose=False) == (0, runner.tries) and runner.tries > 0


def test_readme_names_every_schema_id_and_the_schemas_exist_in_both_places() -> None:
    import json

    for path in sorted((ROOT / "schemas").glob("*.json")):
        schema = json.loads(path.read_text())
        assert schema["$id"] == f"https://param-lint.github.io/schemas/{path.name}"
        assert schema["$id"] in README
        assert (ROOT / "param_lint" / "schemas" / path.name).read_text() == path.read_text()


def test_readme_vs_code_settings_are_json_naming_real_schemas() -> None:
    import json

    [settings] = [json.loads(block) for block in fenced("json") if '"yaml.schemas"' in block]
    urls = list(settings["yaml.schemas"]) + [entry["url"] for entry in settings["json.schemas"]]
    assert urls and all((ROOT / url).is_file() for url in urls)


def parser_options() -> set[str]:
    from param_lint.cli import build_parser

    return {o for action in build_parser()._actions for o in action.option_strings if o.startswith("--")} - {"--help"}


def table_options() -> set[str]:
    """The long options in the first column of the README's options table."""
    usage = README[README.index("## Usage") : README.index("## The config format")]
    rows = [line.split("|")[1] for line in usage.splitlines() if line.startswith("| `--")]
    return {option for row in rows for option in re.findall(r"--[a-z][a-z-]*", row)}


def test_every_option_of_the_parser_is_in_the_readmes_table() -> None:
    assert parser_options() - table_options() == set()


def test_every_option_in_the_readmes_table_exists() -> None:
    assert table_options() - parser_options() == set()


def test_every_format_is_in_the_readmes_table() -> None:
    from param_lint.report import FORMATS

    [row] = [line for line in README.splitlines() if line.startswith("| `--format")]
    assert row.split("`")[1] == "--format " + "\\|".join(FORMATS)


def test_the_readmes_config_example_passes_param_lint(tmp_path: Path) -> None:
    from tests.test_cli import param_lint

    section = README[README.index("## The config format") : README.index("## Hugging Face")]
    [example] = re.findall(r"```yaml\n(.*?)```", section, re.S)[:1]
    (tmp_path / "schemas").symlink_to(ROOT / "schemas")
    (tmp_path / "config.yaml").write_text(example)
    run = param_lint("--isolated", "--select", "PL", "config.yaml", cwd=tmp_path)
    assert (run.returncode, run.stdout) == (0, "All checks passed (1 file).\n"), run.stdout


def test_the_readmes_settings_example_is_valid_settings() -> None:
    import tomllib

    from param_lint.rules import RULES
    from param_lint.settings import Settings, from_table

    section = README[README.index("## Settings") : README.index("## pre-commit")]
    blocks = re.findall(r"```toml\n(.*?)```", section, re.S)
    assert blocks
    for block in blocks:
        Settings(**from_table(tomllib.loads(block)["tool"]["param-lint"], "README", known_codes=RULES))
