"""gemma4: Gemma4ForConditionalGeneration (Gemma 4 26B-A4B, 31B; transformers 5 only).

The text model (text_config, model_type gemma4_text) is Gemma 3's layer (four RMSNorms, q/k
RMSNorms over the head width, a gated MLP, no biases) in two kinds per `layer_types`: sliding
attention with `head_dim` and `num_key_value_heads`, and global (full) attention with
`global_head_dim` and, under `attention_k_eq_v`, `num_global_key_value_heads` and no W_V (the
keys double as values). With `enable_moe_block` every layer also has `num_experts` routed
experts of width `moe_intermediate_size` beside its MLP (`top_k_experts` per token), a router
with learned input and per-expert scales, and three more norms. The top-level
`tie_word_embeddings` (default true) ties lm_head; the text config's is not read by
transformers 5.24.0.

The vision tower (vision_config, gemma4_vision) is a transformer of RMSNorm blocks (four per
layer, q/k RMSNorms over head_dim), bias-free projections and a gated MLP; its patch embedding
is a bias-free linear layer over 3 x patch_size² pixels and its positions a learned
(2, position_embedding_size, hidden_size) table, one row per x and y. `use_clipped_linears`
and `standardize` add buffers, not parameters. The projector (embed_vision) is a scale-free
RMSNorm and one bias-free linear layer into the text width.

Per-layer embeddings (`hidden_size_per_layer_input` P > 0; its class default is 256, the
E2B/E4B models): a (vocab_size_per_layer_input, n_layer x P) table, a bias-free projection of
the token embedding to n_layer x P and an RMSNorm over P, plus in every layer a bias-free gate
(d_model -> P), projection (P -> d_model) and RMSNorm; they are the part `per-layer`.
KV-shared layers (the last `num_kv_shared_layers`) reuse an earlier layer's keys and values:
no W_K, W_V or key norm (an `Attention` with `keys` false), and under `use_double_wide_mlp`
an MLP twice intermediate_size wide (`Layers.ffn_width` 2).

The audio tower (audio_config, gemma4_audio) is a conformer (see `audio_parts`): parts
`audio` (its front convolutions, layers and output projection) and `projector` (embed_audio).

A text_config's `per_layer_config` (what transformers 5.24.0 saves in place of global_head_dim)
sets the head_dim and num_key_value_heads of the layers it names, the same for every layer of
a kind as transformers requires (see `kind_widths`); one that overrides anything else is not
counted yet (PL102).
transformers 4.57 has no gemma4.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...architecture import Architecture, Attention, Mixer
from ...parts import EncoderStack, LayerGroup, Linear, Norm, Part, Projector, Weight
from .. import CannotCount, Reader
from .common import attention_bias, llama_like, read_int
from .ssm import layer_types, stack
from .towers import positive_ints, sub_reader

# Gemma4TextConfig's defaults (transformers 5.24.0).
TEXT_DEFAULTS: dict[str, Any] = {
    "vocab_size": 262_144,
    "hidden_size": 2304,
    "intermediate_size": 9216,
    "num_hidden_layers": 30,
    "num_attention_heads": 8,
    "num_key_value_heads": 4,
    "head_dim": 256,
    "max_position_embeddings": 131_072,
    "tie_word_embeddings": True,
}
# Gemma4VisionConfig's defaults (transformers 5.24.0).
VISION_DEFAULTS = {
    "hidden_size": 768,
    "intermediate_size": 3072,
    "num_hidden_layers": 16,
    "num_attention_heads": 12,
    "head_dim": 64,
    "patch_size": 16,
    "position_embedding_size": 10 * 1024,
}
# Gemma4AudioConfig's defaults (transformers 5.24.0).
AUDIO_DEFAULTS = {
    "hidden_size": 1024,
    "num_hidden_layers": 12,
    "num_attention_heads": 8,
    "conv_kernel_size": 5,
    "output_proj_dims": 1536,
}
KINDS = ("sliding_attention", "full_attention")


def architecture(r: Reader) -> Architecture:
    text = sub_reader(r, "text_config", {})
    n_layer = text.integer("num_hidden_layers", TEXT_DEFAULTS["num_hidden_layers"], field="n_layer", minimum=1)
    # the class default: every sixth layer global; transformers forces the last layer global
    default = ["sliding_attention" if (i + 1) % 6 else "full_attention" for i in range(n_layer)]
    kinds = layer_types(text, n_layer, KINDS, default)
    kinds[-1] = "full_attention"
    n_kv_head = read_int(text, "num_key_value_heads", TEXT_DEFAULTS["num_key_value_heads"], "n_kv_head")
    k_eq_v = text.boolean("attention_k_eq_v", False, field="layers")
    widths = kind_widths(text, kinds, n_kv_head, k_eq_v)
    d_head, n_kv_head = widths["sliding_attention"]
    global_attention = Attention(*widths["full_attention"], values=not k_eq_v, name="global attention")
    shared = kv_shared(text, kinds)
    double_wide = text.boolean("use_double_wide_mlp", False, field="layers")
    sliding_shared = Attention(d_head, n_kv_head, keys=False, name="shared-KV attention")
    global_shared = replace(global_attention, keys=False, name="shared-KV global attention")
    fields: dict[str, Any] = {}
    ffn, norms = "dense", 4
    if text.boolean("enable_moe_block", False, field="n_expert"):
        ffn, norms = "dense+moe", 7  # pre_feedforward_layernorm_2, post_feedforward_layernorm_1 and _2
        fields.update(experts(text), router_scales=True)
    pattern: list[tuple[Any, ...]] = []
    for index, kind in enumerate(kinds):
        mixer: Mixer = "attention" if kind == "sliding_attention" else global_attention
        if index >= n_layer - shared:
            mixer = sliding_shared if kind == "sliding_attention" else global_shared
            pattern.append(((mixer,), ffn, norms, 2 if double_wide else 1))
        else:
            pattern.append(((mixer,), ffn, norms))
    fields["tie_embeddings"] = r.boolean("tie_word_embeddings", True, field="tie_embeddings")
    if "per_layer_config" in text.data and d_head != text.integer("head_dim", TEXT_DEFAULTS["head_dim"], minimum=1):
        fields["d_head"] = d_head  # every sliding layer's head_dim overridden alike
        text.note("d_head", "per_layer_config")
    return llama_like(
        text,
        TEXT_DEFAULTS,
        **attention_bias(text, False),
        n_kv_head=n_kv_head,
        qk_norm="head",
        layers=stack(pattern),
        **fields,
    )


def kind_widths(text: Reader, kinds: list[str], n_kv_head: int, k_eq_v: bool) -> dict[str, tuple[int, int]]:
    """The head width and key/value heads of each kind of layer (sliding_attention,
    full_attention).

    Without a `per_layer_config` the sliding layers take head_dim and num_key_value_heads, the
    global ones global_head_dim (and, under attention_k_eq_v, num_global_key_value_heads). A
    per_layer_config (Gemma4TextConfig turns global_head_dim into one, and that is what
    transformers 5.24.0 saves) replaces those: each layer it names takes its head_dim and
    num_key_value_heads, the others head_dim and num_key_value_heads; global_head_dim is then
    ignored. transformers 5.24.0 refuses one whose layers of one kind differ (it reads the
    widths per kind), a key that is not a layer index, and a null width. A null
    per_layer_config is an empty one (global_head_dim is ignored all the same)."""
    d_head = text.integer("head_dim", TEXT_DEFAULTS["head_dim"], minimum=1)
    if "per_layer_config" not in text.data:
        d_global = text.integer("global_head_dim", 512, field="layers", minimum=1)
        n_global = n_kv_head
        if k_eq_v and text.has("num_global_key_value_heads"):
            n_global = text.integer("num_global_key_value_heads", field="layers", minimum=1)
        return {"sliding_attention": (d_head, n_kv_head), "full_attention": (d_global, n_global)}
    if text.data["per_layer_config"] is None:
        return dict.fromkeys(KINDS, (d_head, n_kv_head))
    overrides = text.mapping("per_layer_config")
    by_layer: dict[int, tuple[int, int]] = {}
    for key, value in overrides.data.items():
        index = _layer_index(key)
        if index is None or index >= len(kinds):
            text.fail("per_layer_config", f"per_layer_config key {key!r} is not a layer index (0 to {len(kinds) - 1})")
        if not isinstance(value, dict) or None in value.values():
            overrides.fail(key, f"per_layer_config[{key!r}] must be a mapping of integers, got {value!r}")
        layer = overrides.mapping(key)
        if other := sorted(set(layer.data) - {"head_dim", "num_key_value_heads"}):
            raise CannotCount(
                overrides.path(key),
                f"cannot count a Gemma 4 per_layer_config that overrides {', '.join(other)} yet "
                "(only head_dim and num_key_value_heads)",
            )
        by_layer[index] = (
            layer.integer("head_dim", d_head, field="layers", minimum=1),
            layer.integer("num_key_value_heads", n_kv_head, field="layers", minimum=1),
        )
    widths = {}
    for kind in KINDS:
        seen = {by_layer.get(index, (d_head, n_kv_head)) for index, of in enumerate(kinds) if of == kind}
        if len(seen) > 1:
            text.fail(
                "per_layer_config",
                f"per_layer_config gives the {kind} layers different head_dim or num_key_value_heads "
                "(transformers reads them once per kind of layer and refuses this)",
            )
        widths[kind] = seen.pop() if seen else (d_head, n_kv_head)
    return widths


def _layer_index(key: object) -> int | None:
    """A per_layer_config key as a layer index: digits only ("05" is 5; "\u00b2" passes str.isdigit
    but not int(), which transformers applies), None when it is none."""
    if isinstance(key, int) and not isinstance(key, bool):
        return key if key >= 0 else None
    return int(key) if isinstance(key, str) and key.isdecimal() else None


def experts(text: Reader) -> dict[str, Any]:
    """The routed experts of the MoE block: num_experts, top_k_experts, moe_intermediate_size
    (no defaults: transformers cannot build the block without them)."""
    n_expert = text.integer("num_experts", field="n_expert", minimum=1)
    top_k = text.integer("top_k_experts", field="n_expert_per_token", minimum=1)
    if top_k > n_expert:
        text.fail("top_k_experts", f"{top_k} experts per token exceeds the {n_expert} experts")
    d_ff_expert = text.integer("moe_intermediate_size", field="d_ff_expert", minimum=1)
    return {"n_expert": n_expert, "n_expert_per_token": top_k, "d_ff_expert": d_ff_expert}


def kv_shared(text: Reader, kinds: list[str]) -> int:
    """How many last layers reuse earlier layers' keys and values (num_kv_shared_layers); as
    transformers requires, the layers before them must produce every kind of attention."""
    n_layer = len(kinds)
    shared = text.integer("num_kv_shared_layers", 0, field="layers", minimum=0)
    if shared > n_layer:
        text.fail("num_kv_shared_layers", f"{shared} KV-shared layers exceeds the {n_layer} layers")
    if 0 < shared < n_layer and set(kinds[: n_layer - shared]) != set(kinds):
        text.fail(
            "num_kv_shared_layers",
            "the layers before the KV-shared ones must include every kind in layer_types "
            "(the shared layers reuse their keys and values)",
        )
    return shared


def per_layer_parts(text: Reader, d_model: int, n_layer: int) -> tuple[Part, ...]:
    """Per-layer embeddings (hidden_size_per_layer_input, class default 256; 0: none):
    the packed table, the model projection and its norm, then each layer's gate, projection
    and norm."""
    if "hidden_size_per_layer_input" in text.data and text.data["hidden_size_per_layer_input"] is None:
        # transformers 5.24.0's strict config refuses it (an int: 0 for none)
        text.fail("hidden_size_per_layer_input", "hidden_size_per_layer_input must be an integer (0: none), got null")
    p = text.integer("hidden_size_per_layer_input", 256, field="layers", minimum=0)
    if not p:
        return ()
    n_vocab = text.integer("vocab_size_per_layer_input", 262_144, minimum=1)
    embeddings = LayerGroup(
        "embeddings",
        (
            Weight("W_E_layer", (n_vocab, n_layer * p)),
            Linear("layer_model", d_model, n_layer * p, bias=False),
            Norm("norm_layer_model", p),
        ),
        group="embedding",
    )
    gates = (Linear("layer_gate", d_model, p, bias=False), Linear("layer_proj", p, d_model, bias=False))
    layer = LayerGroup("layer", (*gates, Norm("norm_layer", d_model)), group="per-layer", copies=n_layer)
    return (Part("per-layer", embeddings), Part("per-layer", layer))


def audio_parts(r: Reader, d_text: int) -> tuple[Part, ...]:
    """The audio tower (a conformer: USM) and its projector (embed_audio); none when
    audio_config is absent or null.

    Front: two bias-free 3x3 stride-2 convolutions (1 -> c0 -> c1 channels, each with a
    bias-free LayerNorm) and a bias-free projection of (c0 // 4) x c1 features to d_model.
    Each layer: two feed-forward halves (d -> 4d -> d, pre and post RMSNorms), attention
    (q, k, v over num_heads x d // num_heads, `post` d -> d, a relative-position key
    projection and a per-dimension scale), a light convolution (d -> 2d, a depthwise kernel,
    d -> d, two RMSNorms) and three more RMSNorms; every linear is bias-free. Then a biased
    output projection to output_proj_dims; the projector is a scale-free RMSNorm and a
    bias-free linear layer into the text width."""
    if not r.has("audio_config"):
        return ()
    audio = r.mapping("audio_config")
    k = positive_ints(audio, AUDIO_DEFAULTS)
    channels = audio.sequence("subsampling_conv_channels", [128, 32])
    if len(channels) != 2 or not all(isinstance(c, int) and not isinstance(c, bool) and c > 0 for c in channels):
        audio.fail("subsampling_conv_channels", "subsampling_conv_channels must be two positive integers")
    c0, c1 = channels
    d = k["hidden_size"]
    d_attn = k["num_attention_heads"] * (d // k["num_attention_heads"])
    if not d_attn:
        audio.fail("num_attention_heads", f"{k['num_attention_heads']} heads exceed hidden_size {d}")
    front = LayerGroup(
        "embeddings",
        (
            Weight("conv_0", (c0, 1, 3, 3)),
            Norm("norm_conv_0", c0, "layernorm", bias=False),
            Weight("conv_1", (c1, c0, 3, 3)),
            Norm("norm_conv_1", c1, "layernorm", bias=False),
            Linear("in", (c0 // 4) * c1, d, bias=False),
        ),
        group="embedding",
    )
    layers: list[Linear | Norm | Weight] = []
    for half in ("ffn_a", "ffn_b"):
        layers += [Linear(f"{half}_1", d, 4 * d, False), Linear(f"{half}_2", 4 * d, d, False)]
        layers += [Norm(f"norm_{half}_pre", d), Norm(f"norm_{half}_post", d)]
    layers += [Linear(name, d, d_attn, False) for name in ("Q", "K", "V")]
    layers += [Linear("O", d, d, False), Linear("K_rel", d, d_attn, False)]
    layers += [Weight("per_dim_scale", (d // k["num_attention_heads"],))]
    layers += [Linear("conv_start", d, 2 * d, False), Weight("conv", (d, 1, k["conv_kernel_size"]))]
    layers += [Linear("conv_end", d, d, False), Norm("norm_conv_pre", d), Norm("norm_conv", d)]
    layers += [Norm(f"norm_{index}", d) for index in range(1, 4)]
    layer = LayerGroup("layer", tuple(layers), group="layer", copies=audio.integer("num_hidden_layers", 12, minimum=1))
    final = LayerGroup("final", (Linear("out", d, k["output_proj_dims"]),), group="head")
    projector = LayerGroup(
        "audio projector", (Linear("mm_audio", k["output_proj_dims"], d_text, bias=False),), "projector"
    )
    return (Part("audio", front), Part("audio", layer), Part("audio", final), Part("projector", projector))


def parts(r: Reader) -> tuple[Part, ...]:
    """Per-layer embeddings, the vision tower and its projector (none when vision_config is
    absent or null)."""
    text = architecture(r)
    own = per_layer_parts(sub_reader(r, "text_config", {}), text.d_model, text.n_layer)
    own += audio_parts(r, text.d_model)
    if not r.has("vision_config"):
        return own
    vision = r.mapping("vision_config")
    k = positive_ints(vision, VISION_DEFAULTS)
    d = k["hidden_size"]
    n_head = k["num_attention_heads"]
    n_kv_head = read_int(vision, "num_key_value_heads", n_head, "layers")
    if n_head * k["head_dim"] != d or n_kv_head != n_head:
        raise CannotCount(
            vision.path("head_dim"),
            "cannot count a Gemma 4 vision tower whose heads are not hidden_size wide "
            "(num_attention_heads x head_dim, num_key_value_heads x head_dim) yet",
        )
    patch = k["patch_size"]
    tower = EncoderStack(
        k["num_hidden_layers"],
        d,
        k["intermediate_size"],
        3,
        (patch, patch),
        qkv_bias=False,  # its clippable linears never have a bias, whatever attention_bias says
        out_bias=False,
        mlp="gated",
        mlp_bias=False,
        norm="rmsnorm",
        d_head_norm=k["head_dim"],
        norms=4,
    )
    positions = LayerGroup("positions", (Weight("W_P", (2, k["position_embedding_size"], d)),), group="embedding")
    projector = Projector((Linear("mm", d, text.d_model, bias=False),))  # after a scale-free RMSNorm
    return (*own, Part("vision", tower), Part("vision", positions), Part("projector", projector))
