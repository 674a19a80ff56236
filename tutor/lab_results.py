"""What a fine-tuning run produced, and what may be said about two of them — without torch.

The lab and ``bert-tutor finetune`` write every sentence about a comparison from ``verdict``,
which reads the two loss curves: which ended lower (smoothed over the last steps), and which
got first to the level the worse one ended at.  When training from scratch wins, it says so.
The sentences are translated templates (``tutor.i18n``) filled with the runs' own figures.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from tutor.i18n import _, ngettext

# two smoothed final losses closer than this (relative) count as a tie: one batch is noisy
TIE = 0.05


@dataclass
class RunResult:
    kind: str                                   # "finetune" | "scratch"
    curve: list[tuple[int, float]]              # (step, training loss), step counts from 1
    accuracy: float | None                      # test accuracy 0..1; None when cancelled
    seconds: float                              # training + evaluation wall time
    predictions: list[dict] = field(default_factory=list)  # {text, [text_b], label, predicted}
    cancelled: bool = False
    evals: list[tuple[int, float]] = field(default_factory=list)  # (step, test accuracy)
    task: str = "topics"

    @property
    def final_loss(self) -> float | None:
        return self.curve[-1][1] if self.curve else None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["curve"] = [[s, round(v, 5)] for s, v in self.curve]
        data["evals"] = [[s, round(a, 4)] for s, a in self.evals]
        data["seconds"] = round(self.seconds, 2)
        data["final_loss"] = None if self.final_loss is None else round(self.final_loss, 5)
        return data


def smoothed(curve: list[tuple[int, float]], window: int) -> list[float]:
    """Trailing mean over ``window`` steps: one batch's loss is too noisy to compare."""
    values = [loss for _step, loss in curve]
    return [sum(values[max(0, i + 1 - window):i + 1]) / (i + 1 - max(0, i + 1 - window)) for i in range(len(values))]


def first_step_below(curve: list[tuple[int, float]], level: float, window: int) -> int | None:
    for (step, _loss), value in zip(curve, smoothed(curve, window)):
        if value <= level:
            return step
    return None


@dataclass(frozen=True)
class Verdict:
    winner: str             # "finetune", "scratch" or "tie"
    finetune_loss: float    # smoothed final losses
    scratch_loss: float
    level: float            # the worse run's final smoothed loss
    finetune_step: int | None  # first step each run's smoothed loss was at or below ``level``
    scratch_step: int | None
    steps: int
    window: int

    @property
    def faster(self) -> str | None:
        """Which run got to ``level`` first (None: same step)."""
        a, b = self.finetune_step or self.steps, self.scratch_step or self.steps
        return None if a == b else ("finetune" if a < b else "scratch")

    def to_dict(self) -> dict:
        data = {k: round(v, 5) if isinstance(v, float) else v for k, v in asdict(self).items()}
        return {**data, "faster": self.faster}


def verdict(finetune: RunResult, scratch: RunResult) -> Verdict:
    steps = min(len(finetune.curve), len(scratch.curve))
    if steps == 0:
        raise ValueError("both runs need at least one step")
    window = max(1, steps // 10)
    a_curve, b_curve = finetune.curve[:steps], scratch.curve[:steps]
    a, b = smoothed(a_curve, window)[-1], smoothed(b_curve, window)[-1]
    level = max(a, b)
    if abs(a - b) <= TIE * level:
        winner = "tie"
    else:
        winner = "finetune" if a < b else "scratch"
    return Verdict(winner, a, b, level, first_step_below(a_curve, level, window),
                   first_step_below(b_curve, level, window), steps, window)


FULL_WIDTH_ENDS = tuple("。！？；：）”")


def sentences(*parts: str) -> str:
    """Translated sentences in a row: a space after an English full stop, none after a
    full-width one (Chinese punctuation carries its own space)."""
    text = ""
    for part in filter(None, parts):
        text += part if not text or text.endswith(FULL_WIDTH_ENDS) else " " + part
    return text


def why_scratch_can_win(lr_ratio: float | None) -> str:
    if lr_ratio and lr_ratio > 1:
        why = _("That can happen: runs this short are noisy (each point is one small batch); the run from scratch "
                "learns at a {ratio}x larger rate; and a task that a surface cue solves (a keyword, the length) "
                "needs little pretraining.").format(ratio=f"{lr_ratio:.0f}")
    else:
        why = _("That can happen: runs this short are noisy (each point is one small batch); and a task that a "
                "surface cue solves (a keyword, the length) needs little pretraining.")
    return sentences(why, _("More steps ({command}) show which way it settles.").format(
        command="bert-tutor finetune --steps 300"))


def summary(finetune: RunResult, scratch: RunResult, lr_ratio: float | None = None) -> str:
    """Plain sentences about this comparison, every figure taken from the two runs
    (``lr_ratio``: the scratch run's learning rate over the pretrained run's)."""
    v = verdict(finetune, scratch)
    losses = ngettext("smoothed training loss after {steps} step: {finetune} pretrained, {scratch} from scratch",
                      "smoothed training loss after {steps} steps: {finetune} pretrained, {scratch} from scratch",
                      v.steps).format(steps=v.steps, finetune=f"{v.finetune_loss:.2f}", scratch=f"{v.scratch_loss:.2f}")
    if v.winner == "tie":
        text = sentences(_("No clear winner this time — {losses}.").format(losses=losses),
                         _("On this task, with this few steps, pretraining made no visible difference to the "
                           "training loss."))
    elif v.winner == "finetune":
        if v.faster == "finetune":
            fell = _("The pretrained start's loss fell faster and lower — {losses}.").format(losses=losses)
            where = _("It reached {level} by step {finetune_step}; from scratch got there only at step "
                      "{scratch_step}.").format(level=f"{v.level:.2f}", finetune_step=v.finetune_step,
                                                scratch_step=v.scratch_step)
        else:
            fell = _("The pretrained start's loss fell lower (though not faster) — {losses}.").format(losses=losses)
            where = ""
        text = sentences(fell, where, _("That is the lecture's Fig. 2 (Hao et al. 2019): pretraining gave the "
                                        "encoder words and context, so fine-tuning only had to point it at the task "
                                        "through the new Linear layer."))
    else:
        text = sentences(_("This time training from scratch ended lower — {losses} — the opposite of the lecture's "
                           "Fig. 2.").format(losses=losses), why_scratch_can_win(lr_ratio))
    if finetune.accuracy is not None and scratch.accuracy is not None:
        text = sentences(text, _("Test accuracy: {finetune} pretrained, {scratch} from scratch.").format(
            finetune=f"{finetune.accuracy:.0%}", scratch=f"{scratch.accuracy:.0%}"))
    return text
