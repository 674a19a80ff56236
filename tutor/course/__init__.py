"""The lesson format: Markdown lesson files parsed into typed steps and blocks, and checked.

Imports neither torch nor textual (the TUI paints the course before the model loads, and
``bert-tutor lessons check`` must stay instant).  Nothing here raises on a bad lesson file:
problems are returned as :class:`Problem` objects (``str(p) == "path:line: message"``).
"""
from tutor.course.blanks import BLANK_PATTERN, count_blanks, normalize_blanks
from tutor.course.blocks import (KNOWN_KINDS, AttentionBlock, BlankSpec, Block, ClozeBlock,
                                 EmbeddingsBlock, FillMaskBlock, FinetuneBlock, InvalidBlock, Lesson,
                                 MarkdownBlock, MaskingBlock, PretrainBlock, QuizBlock, QuizChoice,
                                 NO_WORD, SlideBlock, Step, TokensBlock)
from tutor.course.build import SLUG, slugify
from tutor.course.controls import show_controls
from tutor.course.course import Course, check_paths, load_course, load_paths
from tutor.course.lost import graded_ids, lost_exercises
from tutor.course.model_lint import lint_with_model
from tutor.course.parse import load_lesson, parse_lesson
from tutor.course.problems import ERROR, WARNING, Problem
from tutor.course.starter import starter_lesson

__all__ = [
    "load_lesson", "parse_lesson", "load_course", "check_paths", "load_paths", "starter_lesson",
    "lint_with_model", "Problem", "Lesson", "Course", "Step", "KNOWN_KINDS", "ERROR", "WARNING",
    "Block", "MarkdownBlock", "InvalidBlock", "ClozeBlock", "BlankSpec", "FillMaskBlock",
    "QuizBlock", "QuizChoice", "AttentionBlock", "TokensBlock", "MaskingBlock", "EmbeddingsBlock",
    "FinetuneBlock", "PretrainBlock", "SLUG", "slugify",
    "BLANK_PATTERN", "count_blanks", "normalize_blanks", "SlideBlock", "NO_WORD",
    "graded_ids", "lost_exercises", "show_controls",
]
