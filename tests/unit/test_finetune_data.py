"""The fine-tuning lab's data set (assets/data/wordnet_topics) is well-formed; no torch needed."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tutor.paths import DATA_DIR

FOLDER = DATA_DIR / "wordnet_topics"
ROOT = Path(__file__).resolve().parents[2]
WORDNET = Path("/usr/share/wordnet/data.noun")


def read(name: str) -> list[dict]:
    lines = (FOLDER / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def labels() -> list[str]:
    return json.loads((FOLDER / "labels.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["train.jsonl", "test.jsonl"])
def test_rows_are_well_formed(name, labels):
    rows = read(name)
    assert rows
    for row in rows:
        assert set(row) == {"text", "label"}
        assert row["label"] in labels
        text = row["text"]
        assert text == text.strip() and "  " not in text and ";" not in text
        assert 5 <= len(text.split()) <= 24


def test_labels(labels):
    assert 4 <= len(labels) <= 6
    assert len(set(labels)) == len(labels)


@pytest.mark.parametrize("name, per_class", [("train.jsonl", 300), ("test.jsonl", 100)])
def test_classes_are_balanced(name, per_class, labels):
    counts = Counter(row["label"] for row in read(name))
    assert counts == {label: per_class for label in labels}


def test_no_duplicates_and_no_train_test_overlap():
    train = [r["text"].lower() for r in read("train.jsonl")]
    test = [r["text"].lower() for r in read("test.jsonl")]
    assert len(set(train)) == len(train)
    assert len(set(test)) == len(test)
    assert not set(train) & set(test)


def test_small_and_licensed():
    total = sum(p.stat().st_size for p in FOLDER.iterdir())
    assert total < 1_000_000
    notice = "WordNet 3.0 Copyright 2006 by Princeton University.  All rights reserved."
    assert notice in (FOLDER / "LICENSE").read_text(encoding="utf-8")
    assert "LICENSE" in (FOLDER / "README.md").read_text(encoding="utf-8")


@pytest.mark.skipif(not WORDNET.exists(), reason="needs wordnet-base (/usr/share/wordnet)")
def test_builder_reproduces_the_files(tmp_path):
    import subprocess
    import sys

    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_finetune_data.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("train.jsonl", "test.jsonl", "labels.json", "README.md", "LICENSE"):
        assert (tmp_path / name).read_bytes() == (FOLDER / name).read_bytes(), name


def test_builder_reads_synsets_through_the_shared_wordnet_parser(tmp_path):
    """scripts/build_finetune_data.py and the corpus builder parse data.noun the same way."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_finetune_data", ROOT / "scripts" / "build_finetune_data.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    noun = tmp_path / "data.noun"
    noun.write_text(f"  1 {builder.EXPECTED_FILE_HEADER}\n"
                    "02084071 05 n 01 dog 0 000 | a domesticated carnivorous mammal kept as a pet; \"the dog barked\"\n"
                    "07739125 13 n 01 apple 0 000 | fruit with red or yellow or green skin; \"she ate an apple\"\n"
                    "01234567 05 n 01 canis 0 000 | type genus of the family Canidae including dogs\n",
                    encoding="utf-8")
    found = builder.read_candidates(noun)
    assert found["animal"] == [("02084071", "a domesticated carnivorous mammal kept as a pet")]
    assert found["food"] == [("07739125", "fruit with red or yellow or green skin")]
