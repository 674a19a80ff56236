"""A translated template whose placeholders carry their own style.

A msgid stays one whole sentence with named placeholders (the translator may reorder them);
the values — numbers, words the model computed — keep the style the widget gives them:
``Text.assemble(*styled_parts(_("You {score}"), score=("3/4", "bold")))``.
"""
from __future__ import annotations

from string import Formatter

Part = str | tuple[str, str]


def styled_parts(template: str, **values: object) -> list[Part]:
    """The template's literal text and its values in order; a value given as ``(text, style)``
    keeps that style, any other value is ``str()``-ed and unstyled."""
    parts: list[Part] = []
    for literal, field, spec, conversion in Formatter().parse(template):
        if literal:
            parts.append(literal)
        if field is None:
            continue
        value = values[field]
        if isinstance(value, tuple):
            parts.append((str(value[0]), value[1]))
        else:
            parts.append(format(value, spec or ""))
    return parts
