"""The lesson format: Markdown lesson files parsed into typed steps and blocks, and checked.

Imports neither torch nor textual (the TUI paints the course before the model loads, and
``bert-tutor lessons check`` must stay instant).  Nothing here raises on a bad lesson file:
problems are returned as :class:`Problem` objects (``str(p) == "path:line: message"``).
"""
import importlib

# Each public name and the module that defines it, imported on first use: the engine needs only
# ``tutor.course.blanks``, and importing the parser (markdown-it) there cost every
# ``bert-tutor fill`` a third of a second.
_HOMES = {
    "blanks": ("BLANK_PATTERN", "count_blanks", "normalize_blanks"),
    "blocks": ("KNOWN_KINDS", "AttentionBlock", "BlankSpec", "Block", "ClozeBlock", "EmbeddingsBlock",
               "FillMaskBlock", "FinetuneBlock", "InvalidBlock", "Lesson", "MarkdownBlock", "MaskingBlock",
               "PretrainBlock", "QuizBlock", "QuizChoice", "NO_WORD", "SlideBlock", "Step", "TokensBlock"),
    "build": ("SLUG", "slugify"),
    "controls": ("show_controls",),
    "course": ("Course", "check_paths", "load_course", "load_paths"),
    "lost": ("graded_ids", "lost_exercises"),
    "model_lint": ("lint_with_model",),
    "parse": ("load_lesson", "parse_lesson"),
    "problems": ("ERROR", "WARNING", "Problem"),
    "starter": ("starter_lesson",),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'tutor.course' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"tutor.course.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
