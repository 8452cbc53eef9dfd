"""Write the count-relevant defaults of MaxText's base.yml to param_lint/dialects/maxtext_base.json.

MaxText reads `configs/models/<name>.yml` over `configs/base.yml`; a model file states only
what differs, so param-lint needs base.yml's values for the keys that decide a count.
Run it on a base.yml from MaxText (nothing is downloaded):

    python tools/make_maxtext_defaults.py PATH/TO/maxtext/configs/base.yml --commit e591f30cbbf2

Only the keys listed in KEYS are kept; the output names the commit the file was read at.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

KEYS = (
    "decoder_block",
    "global_parameter_scale",
    "base_emb_dim",
    "base_num_query_heads",
    "base_num_kv_heads",
    "base_mlp_dim",
    "base_moe_mlp_dim",
    "base_num_decoder_layers",
    "head_dim",
    "mlp_activations",
    "vocab_size",
    "logits_via_embedding",
    "num_experts",
    "num_experts_per_tok",
    "shared_experts",
    "first_num_dense_layers",
    "routed_bias",
    "mlp_bias",
    "attention_bias",
    "attention_type",
    "q_lora_rank",
    "kv_lora_rank",
    "qk_nope_head_dim",
    "qk_rope_head_dim",
    "v_head_dim",
    "trainable_position_size",
    "use_qk_norm",
    "use_post_attn_norm",
    "use_post_ffw_norm",
    "mtp_num_layers",
    "interleave_moe_layer_step",
    "ici_tensor_parallelism",
)

OUT = Path(__file__).resolve().parents[1] / "param_lint" / "dialects" / "maxtext_base.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_yml", type=Path)
    parser.add_argument("--commit", required=True, help="the MaxText commit base.yml was read at")
    args = parser.parse_args()
    base = yaml.safe_load(args.base_yml.read_text(encoding="utf-8"))
    missing = [key for key in KEYS if key not in base]
    if missing:
        raise SystemExit(f"base.yml lacks {', '.join(missing)}")
    data = {
        "source": f"AI-Hypercomputer/maxtext src/maxtext/configs/base.yml at {args.commit}",
        "defaults": {key: base[key] for key in KEYS},
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
