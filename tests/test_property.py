"""Property-based tests (hypothesis): param-lint never raises, and its count is right.

- Any bytes, and any YAML-like text, give findings, never an exception.
- For random valid architectures, the count is the same from YAML and from JSON and under
  any reordering of keys, and equals a second, independent count: every tensor a PyTorch
  module tree of that model would hold (Hugging Face names: embed_tokens,
  layers.0.self_attn.q_proj.weight, ...), enumerated one by one and summed, with a tied
  lm_head sharing embed_tokens' tensor as `named_parameters()` would. That path knows
  nothing of `param_lint.count`: it shares no helper and no formula with it.

Settings keep the suite fast and deterministic: derandomized, no example database.
"""

from __future__ import annotations

import json
from math import prod

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from param_lint.findings import Finding
from param_lint.load import load_bytes, load_text
from param_lint.pipeline import lint_document

FAST = settings(
    max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)


def lint_bytes(path: str, data: bytes) -> list[Finding]:
    loaded = load_bytes(path, data)
    return lint_document(path, loaded.document, loaded.findings).findings


def lint_source(text: str, format: str):
    path = f"config.{format}"
    loaded = load_text(path, text, format)
    return lint_document(path, loaded.document, loaded.findings)


# Never raise ---------------------------------------------------------------------------


@FAST
@given(st.binary(max_size=400), st.sampled_from(["c.yaml", "c.json"]))
def test_any_bytes_give_findings_not_exceptions(data: bytes, path: str) -> None:
    assert all(isinstance(f, Finding) for f in lint_bytes(path, data))


# Fragments that exercise YAML's corners: anchors, aliases, merges, tags, flow and block
# collections, documents, odd scalars, keys that YAML reads as other types.
YAML_PIECES = [
    "model:",
    "n_vocab:",
    "n_layer:",
    "d_model:",
    "n_head:",
    "d_head:",
    "n_context:",
    "weights:",
    "W_O:",
    "expected_params:",
    "tolerance:",
    "bias:",
    "moe:",
    "n_expert:",
    "n_expert_per_token:",
    "mlp:",
    "norm:",
    " ",
    "  ",
    "\n",
    "\n  ",
    "\n    ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    "? ",
    "&a ",
    "*a",
    "<<: ",
    "!!python/name:x ",
    "!x ",
    "!!int ",
    "!!str ",
    "---\n",
    "...\n",
    "# c\n",
    "'",
    '"',
    "|\n  ",
    ">\n  ",
    "%YAML 1.1\n",
    "0",
    "1",
    "64",
    "-1",
    "1e400",
    "1.5",
    "0x1F",
    "0o17",
    "1:30",
    "yes",
    "no",
    "on",
    "~",
    "null",
    ".nan",
    ".inf",
    "175B",
    "6.7B",
    "1%",
    "n_head*d_head",
    "9**9**9",
    "d_model/0",
    "gated",
    "rmsnorm",
    "learned",
    "true",
    "\t",
    "\ufeff",
]


@FAST
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=40))
def test_yaml_like_text_gives_findings_not_exceptions(pieces: list[str]) -> None:
    result = lint_source("".join(pieces), "yaml")
    assert all(isinstance(f, Finding) for f in result.findings)


MODEL_KEYS = [
    "n_vocab",
    "n_context",
    "n_layer",
    "d_model",
    "n_head",
    "d_head",
    "n_kv_head",
    "d_ff",
    "mlp",
    "bias",
    "norm",
    "norm_bias",
    "norms_per_layer",
    "final_norm",
    "embedding_norm",
    "qk_norm",
    "qk_norm_bias",
    "position_embedding",
    "position_offset",
    "tie_embeddings",
    "d_embed",
    "moe",
    "latent_attention",
    "n_encoder_layer",
    "relative_attention_buckets",
    "n_expert",
    "n_expert_per_token",
    "d_ff_expert",
    "d_ff_shared",
    "n_dense_layer",
    "kv_lora_rank",
    "q_lora_rank",
    "d_head_rope",
    "d_head_v",
    "qkv",
    "out",
    "lm_head",
    "router",
    "W_O",
    "W_1",
]
SCALARS = st.one_of(
    st.integers(-(2**70), 2**70),
    st.integers(0, 4096),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.sampled_from(
        [
            "standard",
            "gated",
            "layernorm",
            "rmsnorm",
            "none",
            "learned",
            "rotary",
            "head",
            "per_head",
            "175B",
            "1%",
            "0",
            "n_head*d_head",
            "d_model/0",
            "9**9**9**9",
            "nope",
            "",
        ]
    ),
    st.text(max_size=10),
)
TREES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(MODEL_KEYS) | st.text(max_size=5), inner, max_size=6)
    ),
    max_leaves=25,
)
DOCUMENTS = st.fixed_dictionaries(
    {"model": st.dictionaries(st.sampled_from(MODEL_KEYS), TREES, max_size=12)},
    optional={
        "expected_params": SCALARS,
        "tolerance": SCALARS,
        "expected_active_params": SCALARS,
        "weights": st.dictionaries(
            st.sampled_from(["W_E", "W_Q", "W_O", "W_1", "W_2", "W_3", "W_X"]), TREES, max_size=4
        ),
        "weight_layout": st.sampled_from(["in_out", "out_in", "sideways"]),
        "model_type": st.sampled_from(["llama", "gpt2", "nope"]),
    },
)


@FAST
@given(DOCUMENTS, st.sampled_from(["yaml", "json"]))
def test_config_shaped_documents_give_findings_not_exceptions(document: dict, format: str) -> None:
    """Near-valid configs reach the schema, the dialect, the counter and every rule."""
    text = json.dumps(document) if format == "json" else yaml.safe_dump(document)
    result = lint_source(text, format)
    assert all(isinstance(f, Finding) for f in result.findings)


# The count, two ways ----------------------------------------------------------------------


@st.composite
def architectures(draw) -> dict:
    """A valid native `model:` mapping, with optional keys present or left to their defaults."""
    m: dict = {"n_vocab": draw(st.integers(1, 70_000)), "n_layer": draw(st.integers(1, 48))}
    n_head = draw(st.integers(1, 32))
    if draw(st.booleans()):
        m["d_model"], m["d_head"] = draw(st.integers(1, 4096)), draw(st.integers(1, 256))
    else:  # d_head left to its default, d_model / n_head
        m["d_model"] = n_head * draw(st.integers(1, 128))
    m["n_head"] = n_head
    if draw(st.booleans()):
        m["n_kv_head"] = draw(st.sampled_from([d for d in range(1, n_head + 1) if n_head % d == 0]))
    if draw(st.booleans()):
        m["d_ff"] = draw(st.integers(1, 16_384))
    position = draw(st.sampled_from(["learned", "rotary", "alibi", "none", None]))
    if position is not None:
        m["position_embedding"] = position
    if position in ("learned", None) or draw(st.booleans()):
        m["n_context"] = draw(st.integers(0, 8192))
    if position in ("learned", None) and draw(st.booleans()):
        m["position_offset"] = draw(st.integers(0, 4))
    optional = {
        "mlp": st.sampled_from(["standard", "gated"]),
        "bias": st.booleans()
        | st.fixed_dictionaries({}, optional={s: st.booleans() for s in ("qkv", "out", "mlp", "lm_head", "router")}),
        "norm": st.sampled_from(["layernorm", "rmsnorm", "none"]),
        "norm_bias": st.booleans(),
        "norms_per_layer": st.integers(0, 4),
        "final_norm": st.booleans(),
        "embedding_norm": st.booleans(),
        "tie_embeddings": st.booleans(),
    }
    m.update(draw(st.fixed_dictionaries({}, optional=optional)))
    # A q/k norm takes its kind from `norm`; with norm: none there is no kind to give it.
    if m.get("norm", "layernorm") != "none" and draw(st.booleans()):
        m["qk_norm"] = draw(st.sampled_from(["none", "head", "per_head"]))
        m["qk_norm_bias"] = draw(st.booleans())
    if draw(st.booleans()):
        m["d_embed"] = draw(st.integers(1, 4096).filter(lambda d: d != m["d_model"]))
    if draw(st.booleans()):
        n_expert = draw(st.integers(1, 16))
        optional_moe = {
            "d_ff_expert": st.integers(1, 8192),
            "d_ff_shared": st.integers(0, 8192),
            "shared_expert_gate": st.booleans(),
            "n_dense_layer": st.integers(0, m["n_layer"]),
        }
        required_moe = {"n_expert": st.just(n_expert), "n_expert_per_token": st.integers(1, n_expert)}
        m["moe"] = draw(st.fixed_dictionaries(required_moe, optional=optional_moe))
    return m


def named_parameters(m: dict) -> dict[str, tuple[int, ...]]:
    """Every tensor of the model as a PyTorch module tree would hold it: name -> shape.

    Shapes are PyTorch's: nn.Linear(in, out).weight is (out, in), nn.Embedding is
    (rows, width). A tied lm_head is the same tensor as embed_tokens, so, as in
    `named_parameters()`, it is listed once.
    """
    d_model, n_head, n_vocab = m["d_model"], m["n_head"], m["n_vocab"]
    d_head = m.get("d_head", d_model // n_head)
    n_kv_head = m.get("n_kv_head", n_head)
    d_ff = m.get("d_ff", 4 * d_model)
    gated = m.get("mlp", "standard") == "gated"
    kind = m.get("norm", "layernorm")
    norm_bias = m.get("norm_bias", True)
    bias = m.get("bias", True)
    sites = {"qkv": True, "out": True, "mlp": True, "lm_head": False, "router": False}
    if isinstance(bias, bool):
        sites = {site: bias and default for site, default in sites.items()}
    else:
        sites.update(bias)
    params: dict[str, tuple[int, ...]] = {}

    def linear(name: str, d_in: int, d_out: int, has_bias: bool) -> None:
        params[f"{name}.weight"] = (d_out, d_in)
        if has_bias:
            params[f"{name}.bias"] = (d_out,)

    def norm(name: str, width: int, has_bias: bool = norm_bias) -> None:
        if kind == "none":
            return
        params[f"{name}.weight"] = (width,)
        if kind == "layernorm" and has_bias:
            params[f"{name}.bias"] = (width,)

    def mlp(name: str, width: int) -> None:
        if gated:
            linear(f"{name}.gate_proj", d_model, width, sites["mlp"])
        linear(f"{name}.up_proj", d_model, width, sites["mlp"])
        linear(f"{name}.down_proj", width, d_model, sites["mlp"])

    d_token = m.get("d_embed", d_model)
    params["embed_tokens.weight"] = (n_vocab, d_token)
    if "d_embed" in m:
        linear("project_in", d_token, d_model, False)
    if m.get("position_embedding", "learned") == "learned":
        params["embed_positions.weight"] = (m["n_context"] + m.get("position_offset", 0), d_model)
    if m.get("embedding_norm", False):
        norm("embed_layernorm", d_model)

    moe = m.get("moe")
    n_dense = moe.get("n_dense_layer", 0) if moe else m["n_layer"]
    for i in range(m["n_layer"]):
        layer = f"layers.{i}"
        linear(f"{layer}.self_attn.q_proj", d_model, n_head * d_head, sites["qkv"])
        linear(f"{layer}.self_attn.k_proj", d_model, n_kv_head * d_head, sites["qkv"])
        linear(f"{layer}.self_attn.v_proj", d_model, n_kv_head * d_head, sites["qkv"])
        linear(f"{layer}.self_attn.o_proj", n_head * d_head, d_model, sites["out"])
        qk_norm, qk_bias = m.get("qk_norm", "none"), m.get("qk_norm_bias", False)
        if qk_norm == "head":
            norm(f"{layer}.self_attn.q_norm", d_head, qk_bias)
            norm(f"{layer}.self_attn.k_norm", d_head, qk_bias)
        elif qk_norm == "per_head":
            norm(f"{layer}.self_attn.q_norm", n_head * d_head, qk_bias)
            norm(f"{layer}.self_attn.k_norm", n_kv_head * d_head, qk_bias)
        if i < n_dense:
            mlp(f"{layer}.mlp", d_ff)
        else:
            linear(f"{layer}.mlp.gate", d_model, moe["n_expert"], sites["router"])
            for j in range(moe["n_expert"]):
                mlp(f"{layer}.mlp.experts.{j}", moe.get("d_ff_expert", d_ff))
            if moe.get("d_ff_shared", 0):
                mlp(f"{layer}.mlp.shared_expert", moe["d_ff_shared"])
                if moe.get("shared_expert_gate", False):
                    linear(f"{layer}.mlp.shared_expert_gate", d_model, 1, False)
        for k in range(m.get("norms_per_layer", 2)):
            norm(f"{layer}.norms.{k}", d_model)
    if m.get("final_norm", kind != "none"):
        norm("norm", d_model)
    if "d_embed" in m:
        linear("project_out", d_model, d_token, False)
    if not m.get("tie_embeddings", True):
        params["lm_head.weight"] = (n_vocab, d_token)
    if sites["lm_head"]:
        params["lm_head.bias"] = (n_vocab,)
    return params


def enumerated_count(m: dict) -> int:
    return sum(prod(shape) for shape in named_parameters(m).values())


def reordered(mapping: dict, order: list[int]) -> dict:
    """The same mapping with its keys (and nested mappings' keys) in another order."""
    keys = list(mapping)
    keys = (
        [keys[i] for i in sorted(range(len(keys)), key=lambda i: order[i % len(order)] * 1000 + i)] if order else keys
    )
    return {
        k: reordered(mapping[k], order[1:] + order[:1]) if isinstance(mapping[k], dict) else mapping[k] for k in keys
    }


# Rare corners, always tried: every bias site and option on, a MoE with dense layers and a gated shared expert.
EVERYTHING = {
    "n_vocab": 1000,
    "n_context": 64,
    "position_offset": 2,
    "n_layer": 3,
    "d_model": 48,
    "n_head": 6,
    "d_head": 10,
    "n_kv_head": 2,
    "d_ff": 100,
    "mlp": "gated",
    "norm": "layernorm",
    "norm_bias": False,
    "norms_per_layer": 3,
    "final_norm": True,
    "embedding_norm": True,
    "qk_norm": "per_head",
    "qk_norm_bias": True,
    "tie_embeddings": False,
    "d_embed": 24,
    "bias": {"qkv": True, "out": False, "mlp": True, "lm_head": True, "router": True},
    "moe": {
        "n_expert": 4,
        "n_expert_per_token": 2,
        "d_ff_expert": 30,
        "d_ff_shared": 20,
        "shared_expert_gate": True,
        "n_dense_layer": 1,
    },
}


@settings(FAST, max_examples=250)
@example(EVERYTHING, [3, 1, 2])
@example({**EVERYTHING, "norm": "rmsnorm", "qk_norm": "head", "bias": True, "tie_embeddings": True}, [0])
@given(architectures(), st.lists(st.integers(0, 100), min_size=1, max_size=30))
def test_count_is_the_same_from_yaml_json_and_any_key_order_and_matches_the_tensors(
    model: dict, order: list[int]
) -> None:
    config = {"name": "random", "model": model}
    from_yaml = lint_source(yaml.safe_dump(config, sort_keys=False), "yaml")
    assert from_yaml.params is not None, from_yaml.findings
    shuffled = reordered(config, order)
    for result in (
        lint_source(json.dumps(config), "json"),
        lint_source(yaml.safe_dump(shuffled, sort_keys=False), "yaml"),
        lint_source(json.dumps(shuffled), "json"),
        lint_source(yaml.safe_dump(config, sort_keys=True, default_flow_style=True), "yaml"),
    ):
        assert result.params == from_yaml.params
    assert from_yaml.params == enumerated_count(model)


def test_the_enumeration_knows_a_real_model() -> None:
    """The second path itself, checked once against a published figure: Llama-2-7B."""
    from tests.test_diagnose import LLAMA_2_7B_MODEL

    assert enumerated_count(LLAMA_2_7B_MODEL) == 6_738_415_616
    names = named_parameters(LLAMA_2_7B_MODEL)
    assert names["layers.31.self_attn.o_proj.weight"] == (4096, 4096) and "lm_head.weight" in names


@FAST
@given(st.from_regex(r"[-+.]?[A-Za-z0-9_]{1,14}", fullmatch=True))
def test_plain_scalars_read_as_yaml_reads_them(text: str) -> None:
    """The loader's fast paths for plain ints and words agree with PyYAML's resolver."""
    from param_lint.load import _EXPONENT_NUMBER

    loaded = load_text("a.yaml", f"a: {text}\n")
    if _EXPONENT_NUMBER.fullmatch(text) or loaded.document is None:
        return  # 1e5 is a number on purpose (YAML 1.1 says string); refusals are tested elsewhere
    expected = yaml.safe_load(f"a: {text}\n")["a"]
    got = loaded.document.data["a"]
    assert type(got) is type(expected) and (got == expected or got != got and expected != expected)
