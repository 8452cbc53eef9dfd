"""Schema checks: the generated validity check agrees with jsonschema; messages for near misses."""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from param_lint import schema
from param_lint.load import load_path, load_text

HF_SCHEMA = "hf-config.schema.json"

ROOT = Path(__file__).resolve().parent.parent
# Values that probe every keyword the schemas use: types (bool is not an integer, 96.0 is),
# ranges, lengths, enums, patterns, nesting.
ODD_VALUES = [
    True,
    False,
    None,
    0,
    1,
    -1,
    96,
    96.0,
    96.5,
    2**31,
    2**31 + 1,
    2**64,
    float("nan"),
    float("inf"),
    -0.0,
    "",
    "x",
    "96",
    "175B",
    "1.75e11",
    "1 %",
    "1%",
    "10M ",
    "B",
    "standard",
    "gated",
    "rmsnorm",
    "rotary",
    "head",
    "n_head*d_head",
    [],
    [1],
    [1, 2],
    [1, 2, 3],
    ["d_model", "d_model"],
    {},
    {"qkv": True},
    {"x": 1},
]


def _configs() -> list[tuple[object, str]]:
    """The shipped examples and the Hugging Face test configs, with the schema each is checked by."""
    found = []
    for path in sorted(
        [*ROOT.glob("examples/**/*.yaml"), *ROOT.glob("examples/*.json"), *ROOT.glob("tests/hf/configs/*/*.json")]
    ):
        document = load_path(str(path)).document
        if isinstance(document.data, dict):
            name = schema.NATIVE_SCHEMA if "model" in document.data else HF_SCHEMA
            found.append((document.data, name))
    return found


def _mutations(data: object, rng: random.Random, n: int) -> list[object]:
    """`n` copies of `data`, each with one value replaced, one key dropped, or one key added."""
    paths: list[tuple] = []

    def walk(node: object, path: tuple) -> None:
        paths.append(path)
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, (*path, i))

    walk(data, ())
    mutated = []
    for _ in range(n):
        copied = copy.deepcopy(data)
        path = rng.choice(paths[1:])
        parent = copied
        for item in path[:-1]:
            parent = parent[item]  # type: ignore[index]
        action = rng.random()
        if action < 0.7:
            parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))  # type: ignore[index]
        elif action < 0.85 and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[rng.choice(["n_layers", "extra", "W_X", "router", "model"])] = rng.choice(ODD_VALUES)
        mutated.append(copied)
    return mutated


def test_the_generated_check_and_jsonschema_agree_on_every_mutated_config() -> None:
    rng = random.Random(14)
    checked = disagreements = 0
    for data, name in _configs():
        for candidate in [data, *_mutations(data, rng, 150)]:
            fast = schema.is_valid(candidate, name)
            slow = not any(True for _ in schema.validator(name).iter_errors(candidate))
            checked += 1
            if fast != slow:
                disagreements += 1
                print(name, json.dumps(candidate, default=str)[:300], "fast:", fast, "jsonschema:", slow)
    assert checked > 5_000 and disagreements == 0


def test_the_generated_modules_are_what_the_schemas_give() -> None:
    pytest.importorskip("fastjsonschema")
    tool = ROOT / "tools" / "make_validators.py"
    result = subprocess.run([sys.executable, str(tool), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_look_alike_key_shows_its_code_points() -> None:
    text = "model:\n  n_vocab: 100\n  n_l\u0430yer: 2\n  d_model: 64\n  n_head: 4\n  position_embedding: rotary\n"
    document = load_text("a.yaml", text).document
    messages = [f.message for f in schema.check(document, schema.NATIVE_SCHEMA)]
    assert "unknown key 'n_l\u0430yer' in model; did you mean 'n_layer'? " in messages[1]
    assert "'n_l\u0430yer' (U+0430 at 4)" in messages[1]


def test_an_ascii_near_miss_keeps_its_short_message() -> None:
    assert schema.did_you_mean("n_layers", ["n_layer", "d_model"]) == "; did you mean 'n_layer'?"


def test_a_clean_run_imports_neither_jsonschema_nor_difflib() -> None:
    code = (
        "import sys; from param_lint.cli import main; main(['--isolated', 'examples/llama-2-7b.yaml']); "
        "print(sorted(m for m in ('jsonschema', 'difflib', 'param_lint.diagnose') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"


def test_a_generated_check_older_than_its_schema_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A schema edited without `tools/make_validators.py`: jsonschema alone decides, so nothing is missed."""
    from importlib import import_module

    module = import_module("param_lint.schemas.fast_model_config")
    monkeypatch.setattr(module, "SCHEMA_CRC32", module.SCHEMA_CRC32 + 1)
    schema._fast_validator.cache_clear()
    try:
        assert schema._fast_validator(schema.NATIVE_SCHEMA) is None
        document = load_path(str(ROOT / "examples" / "llama-2-7b.yaml")).document
        assert schema.check(document, schema.NATIVE_SCHEMA) == []  # validated by jsonschema instead
    finally:
        schema._fast_validator.cache_clear()
