"""Build the live widget for a lesson block (the lesson player and the review use this)."""
from __future__ import annotations

import importlib
import importlib.util

from rich.text import Text
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Markdown, Static

from tutor.course.blocks import (
    AttentionBlock, ClozeBlock, EmbeddingsBlock, FillMaskBlock, FinetuneBlock, InvalidBlock, MarkdownBlock,
    MaskingBlock, PretrainBlock, QuizBlock, SlideBlock, TokensBlock, Word2VecBlock,
)
from tutor.i18n import _


def _invalid(block: InvalidBlock) -> Widget:
    text = Text(_("This '{kind}' block has problems (line {line}):").format(kind=block.written_kind, line=block.line)
                + "\n", style="bold red")
    for message in block.messages:
        text.append(f"  • {message}\n", style="red")
    return Static(text, classes="invalid-block")


def widget_for(block) -> Widget:
    """A widget for ``block``; kinds whose view is missing show a clear note instead."""
    if isinstance(block, MarkdownBlock):
        return Markdown(block.text, classes="prose")
    if isinstance(block, InvalidBlock):
        return _invalid(block)
    if isinstance(block, ClozeBlock):
        from tutor.widgets.cloze import ClozeWidget

        return ClozeWidget(block)
    if isinstance(block, FillMaskBlock):
        from tutor.widgets.fill_mask import FillMaskWidget

        return FillMaskWidget(block)
    if isinstance(block, QuizBlock):
        from tutor.widgets.quiz import QuizWidget

        return QuizWidget(block)
    views = {
        TokensBlock: ("tutor.widgets.tokens_view", "TokensView"),
        MaskingBlock: ("tutor.widgets.masking_view", "MaskingView"),
        AttentionBlock: ("tutor.widgets.attention_map", "AttentionMap"),
        EmbeddingsBlock: ("tutor.widgets.embeddings_view", "EmbeddingsView"),
        Word2VecBlock: ("tutor.widgets.word2vec_view", "Word2VecView"),
        FinetuneBlock: ("tutor.widgets.finetune_lab", "FinetuneLab"),
        PretrainBlock: ("tutor.widgets.pretrain_lab", "PretrainLab"),
        SlideBlock: ("tutor.widgets.slide", "SlideView"),
    }
    for kind, (module, name) in views.items():
        if isinstance(block, kind):
            # Only a view module that does not exist is tolerated; a broken one raises.
            if importlib.util.find_spec(module) is None:
                return Static(Content.styled(_("({kind} view is not available in this version)").format(
                    kind=block.kind), "dim"))
            return getattr(importlib.import_module(module), name)(block)
    return Static(Content.styled(_("(unknown block {name})").format(name=type(block).__name__), "dim"))
