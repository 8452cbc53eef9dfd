"""OLMo-core config dumps for the tests, and their counts from OLMo-core itself.

Run in a scratch virtualenv (nothing is downloaded; models are built on the meta device):

    python -m venv /work/scratch/venv-olmocore
    /work/scratch/venv-olmocore/bin/pip install torch==2.13.0 ai2-olmo-core==3.0.0
    /work/scratch/venv-olmocore/bin/python tools/olmo_core_reference.py

For each TransformerConfig below it writes `tests/frameworks/olmo-core/<name>.json` exactly
as OLMo-core's `as_config_dict()` gives it (under `model:` for the experiment-style dumps),
and records `num_params` and the parameters of `config.build(init_device="meta")` (they
must agree) in `tests/frameworks/olmo_core_golden.json`, with the library versions.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from olmo_core.nn.transformer import TransformerBlockType, TransformerConfig

ROOT = Path(__file__).resolve().parents[1] / "tests" / "frameworks"


def configs() -> dict[str, tuple[TransformerConfig, bool]]:
    """name -> (config, written under `model:` as an experiment config.json is)."""
    olmo2 = TransformerConfig.olmo2_30M(vocab_size=1024)
    return {
        "olmo2-30m-experiment": (olmo2, True),
        "llama-like-gqa": (
            TransformerConfig.llama_like(d_model=256, vocab_size=1000, n_layers=2, n_heads=8, n_kv_heads=2),
            False,
        ),
        "llama-like-head-qk-norm-tied": (
            TransformerConfig.llama_like(
                d_model=256,
                vocab_size=1000,
                n_layers=2,
                n_heads=4,
                qk_norm=True,
                use_head_qk_norm=True,
                tie_word_embeddings=True,
            ),
            False,
        ),
        "peri-norm": (
            TransformerConfig.llama_like(
                d_model=128, vocab_size=512, n_layers=3, n_heads=4, block_name=TransformerBlockType.peri_norm
            ),
            True,
        ),
    }


def main() -> None:
    golden = {"versions": {"ai2-olmo-core": version("ai2-olmo-core"), "torch": version("torch")}, "files": {}}
    folder = ROOT / "olmo-core"
    for name, (config, wrapped) in configs().items():
        data = config.as_config_dict()
        path = folder / f"{name}.json"
        path.write_text(json.dumps({"model": data} if wrapped else data, indent=1) + "\n", encoding="utf-8")
        model = config.build(init_device="meta")
        built = sum(p.numel() for p in model.parameters())
        assert built == config.num_params, (name, built, config.num_params)
        golden["files"][path.name] = built
        print(f"{path.name}: {built:,}")
    (ROOT / "olmo_core_golden.json").write_text(json.dumps(golden, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
