"""bert-tutor: learn how BERT works by using a live BERT in the terminal.

This package root must stay light: importing it (or ``tutor.cli``, ``tutor.course``,
``tutor.progress``) never imports torch, so the TUI can paint before the model loads.
"""
__version__ = "0.1.0"
