"""``bert-tutor eval-mlm``: how good is a masked LM at what bert-tutor asks of it?

* held-out masked-token accuracy and loss (text never trained on, fixed masking seed);
* top-5 hit rate on everyday probe sentences (assets/eval/probes.jsonl);
* the lecture's Li Hua cloze (lesson 5), "Li Hua's Monday" (``li_hua.json``, a passage in its
  style written for the tutor: lesson 5's practice), a 20-item one-sentence cloze and a
  30-item short-passage cloze (``cloze_dev.jsonl``: written to choose how ``rank_options``
  scores, so that choice is not tuned on Li Hua), all ranked as ``rank_options`` ranks them.
"""
from __future__ import annotations

import json
from pathlib import Path

from tutor.i18n import _
from tutor.paths import EVAL_DIR, LESSONS_DIR
from tutor.rank_choices import DEFAULT_NORMALIZE, DEFAULT_SCOPE


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def cloze_items(cloze: dict) -> list[dict]:
    """One ranking item per blank: the passage with this blank open, the others filled by keys."""
    items = []
    for key, blank in cloze["blanks"].items():
        text = cloze["passage"]
        for other, spec in cloze["blanks"].items():
            answer = spec["answer"] if isinstance(spec["answer"], str) else spec["answer"][0]
            text = text.replace("{" + other + "}", "___" if other == key else answer)
        items.append({"id": key, "text": text, "options": list(blank["options"]), "answer": blank["answer"]})
    return items


def lecture_items() -> list[dict]:
    """The lecture's own Li Hua passage as lesson 5 has it, each blank as the cloze exercise
    ranks it (the others filled by their keys, "(no word)" read as nothing).  li_hua.json is
    the other passage, written in its style for the tutor (lesson 5's practice cloze)."""
    from tutor.course.blocks import BlankSpec
    from tutor.course.parse import load_lesson

    block = next(b for b in load_lesson(LESSONS_DIR / "05-cloze-exam.md").blocks() if b.id == "li-hua")
    return [{"id": str(spec.number), "text": text, "options": options, "answer": BlankSpec.fill_text(spec.answer)}
            for spec, text, options in block.ranking_requests()]


def rank_items(engine, items: list[dict], normalize: str = DEFAULT_NORMALIZE, precise: bool = False,
               scope: str = DEFAULT_SCOPE) -> dict:
    """Each item ranked as ``rank_options`` ranks it alone, all in one ``rank_blanks`` call (the
    rows share batches; ``precise`` is kept for the CLI: every path is fp32 now)."""
    rows, correct = [], 0
    every = engine.rank_blanks([(item["text"], item["options"]) for item in items], normalize=normalize, scope=scope)
    for item, scores in zip(items, every):
        best = max(scores, key=lambda s: s.score)
        ok = best.option == item["answer"]
        correct += ok
        rows.append({"id": item.get("id") or item["text"], "answer": item["answer"], "choice": best.option,
                     "probability": best.probability, "correct": ok})
    return {"correct": correct, "total": len(items), "rate": round(correct / max(1, len(items)), 4), "items": rows}


def probe_hits(engine, probes: list[dict], k: int = 5) -> dict:
    hits, rows = 0, []
    for probe in probes:
        top = [t for t, _ in engine.fill_mask(probe["text"], top_k=k)[0]]
        hit = any(a.lower() in top for a in probe["answers"])
        hits += hit
        rows.append({"text": probe["text"], "top": top, "hit": hit})
    return {"hits": hits, "total": len(probes), "rate": round(hits / max(1, len(probes)), 4), "items": rows}


def heldout(engine, path: Path, limit: int = 640, device: str | None = None) -> dict:
    """Masked-token loss and accuracy of the engine's model in fp32, loaded (safetensors) onto
    one device with its batches, whatever runs the engine's own inference."""
    from tutor.engine.pretrain import TokenizedTexts, heldout_mlm_metrics
    from tutor.engine.training import engine_model_path, load_masked_lm, pick_device, torch_errors

    lines = [l for l in Path(path).read_text(encoding="utf-8").splitlines() if l.strip()]
    name, source = engine_model_path(engine)
    device = pick_device(device)
    model, tokenizer = load_masked_lm(source, name, device)
    with torch_errors(_("held-out evaluation on {device}").format(device=device)):
        return heldout_mlm_metrics(model, TokenizedTexts(tokenizer, lines, 48), limit=limit)


def evaluate(engine, heldout_path: Path | None = None, normalize: str = DEFAULT_NORMALIZE, precise: bool = False,
             scope: str = DEFAULT_SCOPE, device: str | None = None) -> dict:
    li_hua = json.loads((EVAL_DIR / "li_hua.json").read_text())
    report = {
        "model": engine.name,
        "probes_top5": probe_hits(engine, read_jsonl(EVAL_DIR / "probes.jsonl")),
        "li_hua_lecture": rank_items(engine, lecture_items(), normalize, precise, scope),
        "li_hua": rank_items(engine, cloze_items(li_hua), normalize, precise, scope),
        "mcq_cloze": rank_items(engine, read_jsonl(EVAL_DIR / "mcq_cloze.jsonl"), normalize, precise, scope),
        "cloze_dev": rank_items(engine, read_jsonl(EVAL_DIR / "cloze_dev.jsonl"), normalize, precise, scope),
    }
    paris = engine.fill_mask("The capital of France is [MASK].", top_k=3)[0]
    report["paris_top3"] = any(t == "paris" for t, _ in paris)
    if heldout_path and Path(heldout_path).exists():
        report["heldout"] = heldout(engine, heldout_path, device=device)
    return report


def summary_line(report: dict) -> str:
    parts = [_("probes top-5 {hits}/{total}").format(**report["probes_top5"]),
             _("the lecture's Li Hua {correct}/{total}").format(**report["li_hua_lecture"]),
             _("Li Hua's Monday {correct}/{total}").format(**report["li_hua"]),
             _("MCQ cloze {correct}/{total}").format(**report["mcq_cloze"]),
             _("passage cloze {correct}/{total}").format(**report["cloze_dev"]),
             _("paris top-3 yes") if report["paris_top3"] else _("paris top-3 no")]
    if "heldout" in report:
        held = report["heldout"]
        parts.append(_("held-out acc {accuracy} loss {loss}").format(accuracy=f"{held['heldout_accuracy']:.3f}",
                                                                     loss=f"{held['heldout_loss']:.3f}"))
    return " · ".join(parts)
