"""Write assets/data/wordnet_topics/: the fine-tuning lab's topic-classification data set.

Each example is the definition part of a WordNet 3.0 noun gloss, labelled with the topic of the
lexicographer file its synset lives in (noun.animal, noun.food, ...).  The lemma itself is not
included, so the model has to read the definition: "a salesman who travels to call on customers"
→ person.

Rules (all deterministic, so the committed files can be rebuilt byte for byte):
* definition = the gloss (after "|") up to its first ";" (examples and notes follow it);
* keep definitions of MIN_WORDS..MAX_WORDS words; drop taxonomy glosses ("type genus of the
  Passeridae") — they are about Latin names, not the topic;
* dedupe case-insensitively; a definition that occurs under two topics is dropped;
* order by SHA-256 of "<seed>:<synset offset>" (independent of Python's random module),
  take the first TRAIN + TEST per topic, the first TEST of those are the test split;
* train.jsonl and test.jsonl are interleaved by the same hash so topics are mixed.

Usage: python scripts/build_finetune_data.py [--wordnet /usr/share/wordnet] [--out assets/data/wordnet_topics]
(Debian/Ubuntu: apt-get install wordnet-base.)
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tutor.corpus.build import wordnet_entries  # noqa: E402

DEFAULT_OUT = ROOT / "assets" / "data" / "wordnet_topics"
DEFAULT_WORDNET = Path("/usr/share/wordnet")

# label -> WordNet lexicographer file number (see `man 5 lexnames`)
TOPICS = {
    "animal": "05",    # noun.animal
    "artifact": "06",  # noun.artifact
    "food": "13",      # noun.food
    "location": "15",  # noun.location
    "person": "18",    # noun.person
    "plant": "20",     # noun.plant
}
TRAIN_PER_TOPIC = 300
TEST_PER_TOPIC = 100
MIN_WORDS = 5
MAX_WORDS = 24
SEED = 0
TAXONOMY = re.compile(
    r"\b(genus|genera|subgenus|family|subfamily|superfamily|order|suborder|phylum|subphylum|"
    r"subclass|superclass|classifications?|taxonomic|taxon)\b", re.IGNORECASE)
# data.noun is WordNet 3.0 as released; this catches another version being used silently
EXPECTED_FILE_HEADER = "WordNet 3.0 Copyright 2006 by Princeton University"

LICENSE_TEXT = """\
This data set is derived from WordNet 3.0 (the noun glosses in data.noun).

WordNet Release 3.0

This software and database is being provided to you, the LICENSEE, by
Princeton University under the following license.  By obtaining, using
and/or copying this software and database, you agree that you have
read, understood, and will comply with these terms and conditions.:

Permission to use, copy, modify and distribute this software and
database and its documentation for any purpose and without fee or
royalty is hereby granted, provided that you agree to comply with
the following copyright notice and statements, including the disclaimer,
and that the same appear on ALL copies of the software, database and
documentation, including modifications that you make for internal
use or for distribution.

WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved.

THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR
IMPLIED.  BY WAY OF EXAMPLE, BUT NOT LIMITATION, PRINCETON
UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANT-
ABILITY OR FITNESS FOR ANY PARTICULAR PURPOSE OR THAT THE USE
OF THE LICENSED SOFTWARE, DATABASE OR DOCUMENTATION WILL NOT
INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR
OTHER RIGHTS.

The name of Princeton University or Princeton may not be used in
advertising or publicity pertaining to distribution of the software
and/or database.  Title to copyright in this software, database and
any associated documentation shall at all times remain with
Princeton University and LICENSEE agrees to preserve same.
"""


def definition(gloss: str) -> str:
    """The definition part of a gloss: before the first ';', whitespace collapsed."""
    text = gloss.split(";", 1)[0]
    text = " ".join(text.split())
    return text.strip(' "')


def keep(text: str) -> bool:
    words = text.split()
    return MIN_WORDS <= len(words) <= MAX_WORDS and not TAXONOMY.search(text)


def rank(seed: int, key: str) -> str:
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


def read_candidates(data_noun: Path) -> dict[str, list[tuple[str, str]]]:
    """label -> [(synset offset, definition)], deduped within and across topics."""
    by_file = {number: label for label, number in TOPICS.items()}
    raw = data_noun.read_text(encoding="utf-8")
    if EXPECTED_FILE_HEADER not in raw[:4000]:
        raise SystemExit(f"{data_noun} does not look like WordNet 3.0 data.noun")
    seen: dict[str, set[str]] = {}
    first: dict[str, tuple[str, str, str]] = {}
    for offset, lex_file, _, gloss in wordnet_entries(raw):
        label = by_file.get(lex_file)
        if label is None:
            continue
        text = definition(gloss)
        if not keep(text):
            continue
        key = text.lower()
        seen.setdefault(key, set()).add(label)
        first.setdefault(key, (label, offset, text))
    out: dict[str, list[tuple[str, str]]] = {label: [] for label in TOPICS}
    for key, (label, offset, text) in first.items():
        if len(seen[key]) == 1:
            out[label].append((offset, text))
    return out


def build(wordnet: Path, seed: int = SEED) -> tuple[list[dict], list[dict], list[str]]:
    candidates = read_candidates(wordnet / "data.noun")
    labels = sorted(TOPICS)
    train: list[tuple[str, dict]] = []
    test: list[tuple[str, dict]] = []
    need = TRAIN_PER_TOPIC + TEST_PER_TOPIC
    for label in labels:
        pool = sorted(candidates[label], key=lambda item: rank(seed, item[0]))
        if len(pool) < need:
            raise SystemExit(f"only {len(pool)} usable glosses for {label}; need {need}")
        chosen = pool[:need]
        for i, (offset, text) in enumerate(chosen):
            row = (rank(seed + 1, offset), {"text": text, "label": label})
            (test if i < TEST_PER_TOPIC else train).append(row)
    return [r for _, r in sorted(train, key=lambda x: x[0])], [r for _, r in sorted(test, key=lambda x: x[0])], labels


def write_jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def readme(train: list[dict], test: list[dict], labels: list[str]) -> str:
    files = ", ".join(f"`{label}` = noun.{label} ({TOPICS[label]})" for label in labels)
    return f"""# wordnet_topics — the fine-tuning lab's data set

Topic classification of dictionary definitions: given a WordNet noun definition (without
the word it defines), say which of {len(labels)} topics it belongs to.

    {{"text": "a salesman who travels to call on customers", "label": "person"}}

* `train.jsonl`: {len(train)} examples ({TRAIN_PER_TOPIC} per topic); `test.jsonl`: {len(test)} ({TEST_PER_TOPIC} per topic).
* `labels.json`: the topics in class-index order.  Topic = WordNet lexicographer file: {files}.
* Text = the gloss up to its first ";" (usage examples dropped), {MIN_WORDS}–{MAX_WORDS} words,
  taxonomy glosses ("type genus of ...") dropped, deduplicated case-insensitively
  (a definition filed under two topics is dropped), so train and test share no text.
* Fixed split: SHA-256 of "seed:synset offset" orders each topic (seed {SEED}).

Rebuild (byte-identical) with `python scripts/build_finetune_data.py` (needs the Debian
package `wordnet-base`, i.e. `/usr/share/wordnet/data.noun`).

Note for the lesson: bert-tutor-mini's masked-LM pretraining corpus included WordNet glosses
as *unlabelled* text (design notes, "The bundled model").  The topic labels were never part of it — which is
the lecture's point: self-supervised pretraining on raw text, then supervised fine-tuning.

## Licence

Derived from WordNet 3.0, Copyright 2006 by Princeton University, used and redistributed
under the WordNet 3.0 licence; the full notice and disclaimer are in `LICENSE` next to this
file and must stay with these files.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=DEFAULT_WORDNET, help="folder with data.noun")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if not (args.wordnet / "data.noun").exists():
        sys.exit(f"{args.wordnet / 'data.noun'} not found (apt-get install wordnet-base)")
    train, test, labels = build(args.wordnet)
    args.out.mkdir(parents=True, exist_ok=True)
    write_jsonl(args.out / "train.jsonl", train)
    write_jsonl(args.out / "test.jsonl", test)
    (args.out / "labels.json").write_text(json.dumps(labels) + "\n", encoding="utf-8")
    (args.out / "README.md").write_text(readme(train, test, labels), encoding="utf-8")
    (args.out / "LICENSE").write_text(LICENSE_TEXT, encoding="utf-8")
    print(f"wrote {len(train)} train + {len(test)} test examples, {len(labels)} topics, to {args.out}")


if __name__ == "__main__":
    main()
