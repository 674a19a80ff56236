"""The pretraining corpus builder: no evaluation text leaks into training, splits are clean."""
from __future__ import annotations

from pathlib import Path

from tutor.corpus.build import build_corpus, overlaps, ngrams, story_chunks, wordnet_lines

# two WordNet data lines in the real format: offset, lexfile, pos, word count, word, ..., | gloss
NOUN = ("  1 This software and database is being provided to you, the LICENSEE\n"
        "02084071 05 n 01 dog 0 000 | a member of the genus Canis; \"the dog barked all night long\"\n"
        "07739125 13 n 01 apple 0 000 | fruit with red or yellow or green skin; \"she ate an apple after lunch\"\n")
VERB = "01170052 34 v 01 eat 0 000 | take in solid food; \"she was eating a banana quickly\"; \"eat\"\n"


def wordnet(tmp_path: Path) -> Path:
    folder = tmp_path / "wordnet"
    folder.mkdir(exist_ok=True)
    (folder / "data.noun").write_text(NOUN, encoding="latin-1")
    (folder / "data.verb").write_text(VERB, encoding="latin-1")
    return folder


def stories(tmp_path: Path, count: int = 40) -> Path:
    lines = [f"Story {i} begins here. Tom had a ball number {i}. He threw it far. The dog ran after it."
             for i in range(count)]
    path = tmp_path / "stories.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_wordnet_lines_reads_glosses_and_long_examples(tmp_path):
    glosses, examples = wordnet_lines(wordnet(tmp_path), split=True)
    assert glosses == ["dog: a member of the genus Canis.", "apple: fruit with red or yellow or green skin.",
                       "eat: take in solid food."]
    # "eat" alone is too short to be an example sentence; the licence header is skipped
    assert examples == ["the dog barked all night long", "she ate an apple after lunch",
                        "she was eating a banana quickly"]
    assert wordnet_lines(wordnet(tmp_path)) == [glosses[0], examples[0], glosses[1], examples[1],
                                                glosses[2], examples[2]]


def test_story_chunks_are_two_sentences():
    assert story_chunks("One. Two! Three? Four.") == ["One. Two!", "Three? Four."]


def test_overlap_checks_six_grams_and_short_eval_sentences():
    banned = ngrams("My English teacher is Mr Lin and he is kind.") | ngrams("He is kind.")
    assert overlaps("Yesterday my English teacher is Mr Lin said hi.", banned)
    assert overlaps("We think he is kind to all.", banned)         # a short eval sentence, whole
    assert not overlaps("My English teacher likes tea.", banned)


def test_build_corpus_drops_eval_text_and_keeps_stories_whole(tmp_path):
    corpus = build_corpus(stories(tmp_path), ["Tom had a ball number 7 today."], wordnet_dir=wordnet(tmp_path),
                          heldout_fraction=0.1, seed=3)
    assert corpus.dropped == 1 and not any("number 7." in line for line in corpus.train + corpus.heldout)
    story_ids = lambda lines: {line.split()[1] for line in lines if line.startswith("Story ")}  # noqa: E731
    assert story_ids(corpus.train).isdisjoint(story_ids(corpus.heldout))
    assert len(story_ids(corpus.heldout)) == 4
    again = build_corpus(stories(tmp_path), ["Tom had a ball number 7 today."], wordnet_dir=wordnet(tmp_path),
                         heldout_fraction=0.1, seed=3)
    assert again == corpus  # reproducible from the seed


def test_all_examples_and_exclude(tmp_path):
    folder = wordnet(tmp_path)
    corpus = build_corpus(stories(tmp_path), [], wordnet_dir=folder, wordnet_limit=4, all_examples=True,
                          heldout_fraction=0.0)
    wordnet_part = [line for line in corpus.train if not line.startswith(("Story", "He threw"))]
    assert {"the dog barked all night long", "she ate an apple after lunch",
            "she was eating a banana quickly"} <= set(wordnet_part)
    assert len(wordnet_part) == 4  # every example, then glosses up to the limit
    excluded = build_corpus(stories(tmp_path), [], wordnet_dir=folder, wordnet_limit=4, all_examples=True,
                            heldout_fraction=0.0, exclude={"she ate an apple after lunch"})
    assert "she ate an apple after lunch" not in excluded.train


def test_example_weight_repeats_only_training_examples(tmp_path):
    folder = wordnet(tmp_path)
    corpus = build_corpus(stories(tmp_path), [], wordnet_dir=folder, wordnet_limit=4, all_examples=True,
                          heldout_fraction=0.0, example_weight=3)
    assert corpus.train.count("she ate an apple after lunch") == 3
    glosses = [line for line in corpus.train if ": " in line and not line.startswith("Story")]
    assert glosses and all(corpus.train.count(g) == 1 for g in glosses)  # glosses are not repeated


def test_text_tools_do_not_import_torch_or_textual():
    """The corpus and task builders are torch-free, so these unit tests run without a model."""
    import subprocess
    import sys

    code = ("import sys, tutor.corpus.build, tutor.corpus.geo_facts, tutor.corpus.tasks, tutor.lab_results; "
            "heavy = [m for m in ('torch', 'transformers', 'textual') if m in sys.modules]; "
            "print(','.join(heavy)); sys.exit(1 if heavy else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"imported {result.stdout.strip()} {result.stderr[-300:]}"
