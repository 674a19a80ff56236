"""Write assets/data/{next_sentence,word_order,feeling}/: the fine-tuning lab's three story tasks
(see tutor/corpus/tasks.py for what each one asks and how it is cut).

Usage: python scripts/build_task_data.py [--stories PATH/tinystories-sample.txt] [--out assets/data]
Deterministic: the committed files rebuild byte for byte from the same stories file.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tutor.corpus.tasks import SPECS, TEST_SHARE, build_task  # noqa: E402

STORIES = "shared/corpus/tinystories-sample.txt"

LICENSE_TEXT = """\
This data set is derived from the TinyStories data set (Ronen Eldan and Yuanzhi Li, 2023,
"TinyStories: How Small Can Language Models Be and Still Speak Coherent English?",
arXiv:2305.07759; https://huggingface.co/datasets/roneneldan/TinyStories), through the
718-story sample of its validation split that bert-tutor keeps for offline training.

TinyStories is published under the Community Data License Agreement - Sharing, Version 1.0
(CDLA-Sharing-1.0): https://cdla.dev/sharing-1-0/.  This derived data is published under
the same licence.  Changes: sentences were split, selected, paired, shuffled or labelled as
README.md describes (scripts/build_task_data.py in bert-tutor does it).
"""


def default_stories() -> Path:
    """The shared corpus beside the checkout (or inside it, on a CI machine)."""
    for base in (ROOT, ROOT.parent):
        if (base / STORIES).exists():
            return base / STORIES
    return ROOT.parent / STORIES


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def readme(name: str, train: list[dict], test: list[dict]) -> str:
    spec = SPECS[name]
    example = json.dumps(train[0], ensure_ascii=False)
    return f"""# {name} — one of the fine-tuning lab's four tasks

{spec.summary[0].upper() + spec.summary[1:]}

    {example}

* `train.jsonl`: {len(train)} examples ({spec.train_per_label} per label); `test.jsonl`: {len(test)}
  ({spec.test_per_label} per label).  `labels.json`: the labels in class-index order.
* Whole stories go to train or test ({TEST_SHARE:.0%} of the stories, chosen by SHA-256 rank),
  and no test row uses a sentence that also occurs in a training story.
* Rebuild (byte-identical): `python scripts/build_task_data.py`; the rules are in
  `tutor/corpus/tasks.py`.

Note for the lesson: bert-tutor-mini's masked-LM pretraining read these stories as plain,
unlabelled text.  The labels (and the pairing or shuffling) are new to it here.

## Licence

Derived from TinyStories (Eldan & Li 2023), CDLA-Sharing-1.0; see `LICENSE` next to this file.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=Path, default=default_stories(), help="one story per line")
    parser.add_argument("--out", type=Path, default=ROOT / "assets" / "data")
    args = parser.parse_args()
    if not args.stories.exists():
        sys.exit(f"{args.stories} not found; give --stories PATH/tinystories-sample.txt")
    stories = [line for line in args.stories.read_text(encoding="utf-8").splitlines() if line.strip()]
    for name, spec in SPECS.items():
        train, test, labels = build_task(name, stories)
        folder = args.out / spec.folder
        folder.mkdir(parents=True, exist_ok=True)
        write_jsonl(folder / "train.jsonl", train)
        write_jsonl(folder / "test.jsonl", test)
        (folder / "labels.json").write_text(json.dumps(labels) + "\n", encoding="utf-8")
        (folder / "README.md").write_text(readme(name, train, test), encoding="utf-8")
        (folder / "LICENSE").write_text(LICENSE_TEXT, encoding="utf-8")
        print(f"{name}: {len(train)} train + {len(test)} test examples to {folder}")


if __name__ == "__main__":
    main()
