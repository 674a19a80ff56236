"""The fine-tuning lab's three story tasks (assets/data/{next_sentence,word_order,feeling}) and
their builder (tutor/corpus/tasks.py, scripts/build_task_data.py); no torch needed."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tutor.corpus.tasks import SPECS, shuffled, split_stories
from tutor.paths import DATA_DIR

ROOT = Path(__file__).resolve().parents[2]
STORIES = next((p for p in (ROOT / "shared/corpus/tinystories-sample.txt",
                            ROOT.parent / "shared/corpus/tinystories-sample.txt") if p.exists()), None)
TOY_STORIES = [
    f"Tom{n} had a red ball in the yard. He threw the ball over the tall fence. "
    f"The dog next door ran to get the ball. Tom{n} was very happy when the dog came back. "
    f"Then the big rain came down on the small town. The ball was lost in the mud by the road. "
    f"Tom{n} looked for it all day long. Tom{n} was sad and went home." for n in range(400)]


def rows(name: str, split: str) -> list[dict]:
    text = (DATA_DIR / SPECS[name].folder / f"{split}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("name", list(SPECS))
def test_files_are_balanced_small_and_licensed(name):
    spec, folder = SPECS[name], DATA_DIR / SPECS[name].folder
    assert json.loads((folder / "labels.json").read_text()) == list(spec.labels)
    for split, per_label in (("train", spec.train_per_label), ("test", spec.test_per_label)):
        data = rows(name, split)
        assert Counter(r["label"] for r in data) == {label: per_label for label in spec.labels}
        assert all(r["text"].strip() for r in data)
        assert all(bool(r.get("text_b")) == (name == "next_sentence") for r in data)
        assert [r["label"] for r in data[:20]] != [spec.labels[0]] * 20  # labels are mixed
    assert sum(p.stat().st_size for p in folder.iterdir()) < 300_000
    assert "CDLA-Sharing-1.0" in (folder / "LICENSE").read_text()


@pytest.mark.parametrize("name", list(SPECS))
def test_no_test_row_repeats_a_training_row(name):
    key = lambda r: (r["text"], r.get("text_b"))  # noqa: E731
    assert not {key(r) for r in rows(name, "train")} & {key(r) for r in rows(name, "test")}


def test_shuffled_keeps_the_words_and_the_end_mark():
    sentence = "The little dog ran to the park today."
    mixed = shuffled(sentence)
    assert mixed != sentence and mixed.endswith(".")
    assert sorted(mixed[:-1].split()) == sorted(sentence[:-1].split())


def test_whole_stories_go_to_one_split():
    train, test = split_stories(TOY_STORIES)
    assert len(test) == 80 and len(train) == 320
    first_sentences = {story[0] for story in train}
    assert not first_sentences & {story[0] for story in test}


def test_feeling_hides_the_sentence_that_names_the_feeling():
    from tutor.corpus.tasks import feeling

    stories = [["Ann got a cake.", "The party was fun.", "Ann was happy."],
               ["Ben lost his kite.", "The string broke.", "Ben was sad."]]
    found = feeling(stories, 1, "train")
    assert {(r["text"], r["label"]) for r in found} == {("Ann got a cake. The party was fun.", "happy"),
                                                        ("Ben lost his kite. The string broke.", "sad")}


def test_next_sentence_negatives_come_from_another_story():
    from tutor.corpus.tasks import next_sentence

    stories = [[f"Story {n} line {i} is here now." for i in range(6)] for n in range(30)]
    made = next_sentence(stories, 20, "train")
    for row in made:
        same_story = row["text"].split(" line ")[0] == row["text_b"].split(" line ")[0]
        assert same_story == (row["label"] == "follows")


@pytest.mark.skipif(STORIES is None, reason="needs the shared TinyStories sample")
def test_builder_reproduces_the_committed_files(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_task_data.py"), "--stories", str(STORIES),
                    "--out", str(tmp_path)], check=True, capture_output=True)
    for spec in SPECS.values():
        for name in ("train.jsonl", "test.jsonl", "labels.json", "README.md", "LICENSE"):
            assert (tmp_path / spec.folder / name).read_bytes() == (DATA_DIR / spec.folder / name).read_bytes()
