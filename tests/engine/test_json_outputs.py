"""`--json` outputs that need the real models (tests/unit/test_docs.py runs the others): they
parse, and every tally agrees with the items it counts."""
import json

from click.testing import CliRunner

from tutor.cli import cli


def run_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_eval_mlm_json_counts_what_it_lists(engine):
    report = run_json("eval-mlm", "--json")
    assert report["model"] == engine.name
    for name, key in (("probes_top5", "hits"), ("li_hua_lecture", "correct"), ("li_hua", "correct"),
                      ("mcq_cloze", "correct"), ("cloze_dev", "correct")):
        part = report[name]
        marks = [item["hit" if name == "probes_top5" else "correct"] for item in part["items"]]
        assert part["total"] == len(marks) > 0 and part[key] == sum(marks), name
        assert part["rate"] == round(part[key] / part["total"], 4), name
    paris = next(item for item in report["probes_top5"]["items"] if "France" in item["text"])
    assert report["paris_top3"] == ("paris" in paris["top"][:3])
    lecture = report["li_hua_lecture"]["items"]  # the lecture's passage: ten blanks, (no word) read as ""
    assert [item["id"] for item in lecture] == [str(n) for n in range(1, 11)]
    assert [item["answer"] for item in lecture][:4] == ["in", "is", "an", "have"]  # lesson 5's keys, in order


def test_multilingual_couplet_json_reads_each_repeated_character():
    data = run_json("multilingual", "couplet", "--json")
    assert data["text"].count("朝") == len(data["positions"]) == len(data["readings"]) == 7
    assert set(data["readings"]) == {"cháo", "zhāo"}
