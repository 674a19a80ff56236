"""Small helpers for translated screen text: fitting CJK text into cells, labels, and the
learner-facing names of exercise kinds."""
from __future__ import annotations

from rich.cells import cell_len, set_cell_size

from tutor.i18n import N_, _

NOT_EXERCISES = ("slide", "invalid")  # a lecture slide is read, not done; an invalid block shows its error
KIND_NAMES = {"cloze": N_("cloze"), "fill-mask": N_("fill-mask"), "quiz": N_("quiz"), "attention": N_("attention"),
              "tokens": N_("tokens"), "masking": N_("masking"), "embeddings": N_("embeddings"),
              "finetune": N_("fine-tuning lab"), "pretrain": N_("pretraining lab")}


def kind_name(kind: str) -> str:
    """A block kind as the learner reads it, in the current language."""
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def exercise_kinds(lesson) -> list[str]:
    """The kinds of exercise a lesson has, named in the current language (slides are not exercises)."""
    return [kind_name(kind) for kind in sorted(lesson.kinds()) if kind not in NOT_EXERCISES]


def word_list(words) -> str:
    """Words joined the current language's way: "cloze, quiz" / "完形填空、测验"."""
    return _(", ").join(words)


def fit(text: str, cells: int) -> str:
    """``text`` cut (with "…") or padded to exactly ``cells`` terminal cells: CJK takes two each."""
    if cell_len(text) > cells:
        text = set_cell_size(text, max(0, cells - 1)) + "…"
    return set_cell_size(text, cells)


def label_text(text: str) -> str:
    """A translated label before its value: "Review: " in English, "复习：" (its full-width colon
    already spaces it) in Chinese."""
    return text if text and cell_len(text[-1]) == 2 else text + " "
