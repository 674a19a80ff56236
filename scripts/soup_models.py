"""Average two model folders' weights (a "model soup", Wortsman et al. 2022).

Usage: python scripts/soup_models.py A B --weight-a 0.7 --out DIR

Why: a continued stage learns new facts but also drifts; averaging it with the model it
started from keeps most of both (bert-tutor-mini is 0.7 × stage 3 + 0.3 × stage 4).
Both folders must hold the same architecture.  DIR gets B's config and tokenizer, fp16
weights, and B's training.json with a ``soup`` entry saying how it was mixed.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

KEEP = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")


def soup(a: Path, b: Path, weight_a: float, out: Path) -> None:
    from safetensors.torch import load_file, save_file
    import torch

    if not 0.0 <= weight_a <= 1.0:
        raise ValueError("--weight-a must be between 0 and 1")
    ta, tb = load_file(a / "model.safetensors"), load_file(b / "model.safetensors")
    if ta.keys() != tb.keys() or any(ta[k].shape != tb[k].shape for k in ta):
        raise ValueError(f"{a} and {b} are not the same architecture")
    out.mkdir(parents=True, exist_ok=True)
    for name in KEEP:
        if (b / name).exists():
            shutil.copy(b / name, out / name)
    mixed = {k: (weight_a * ta[k].float() + (1 - weight_a) * tb[k].float()).to(torch.float16) for k in ta}
    save_file(mixed, out / "model.safetensors", metadata={"format": "pt"})
    record = json.loads((b / "training.json").read_text()) if (b / "training.json").exists() else {}
    record["soup"] = {"a": str(a), "b": str(b), "weight_a": weight_a, "weight_b": round(1 - weight_a, 6)}
    (out / "training.json").write_text(json.dumps(record, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--weight-a", type=float, default=0.5, help="share of A (B gets the rest)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    try:
        soup(args.a, args.b, args.weight_a, args.out)
    except (OSError, ValueError) as exc:
        sys.exit(f"soup_models: {exc}")
    print(f"wrote {args.out} = {args.weight_a:g} × {args.a} + {1 - args.weight_a:g} × {args.b}")


if __name__ == "__main__":
    main()
