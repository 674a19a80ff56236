"""Command-palette entries for the lessons, shown literally.

Textual's system commands read their titles as markup, so a lesson titled "[/" would crash
the palette and "[@click=app.quit]" would quit; this provider builds plain ``Content``.
"""
from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content

from tutor.i18n import _, ngettext


class LessonCommands(Provider):
    """"Lesson N: title" for every lesson of the course; choosing one opens it."""

    def _entries(self):
        app = self.app
        for number, lesson in enumerate(app.course.lessons, 1):
            name = _("Lesson {n}: {title}").format(n=number, title=lesson.title)
            steps = ngettext("{n} step", "{n} steps", len(lesson.steps)).format(n=len(lesson.steps))
            detail = _("{steps}, about {minutes} min").format(steps=steps, minutes=lesson.minutes) \
                if lesson.minutes else steps
            yield name, _("Open lesson {n} ({detail})").format(n=number, detail=detail), partial(app.open_lesson, lesson)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._entries():
            score, offsets = matcher.fuzzy_search.match(matcher.query, name)
            if score > 0:
                display = Content(name)
                for offset in offsets:
                    display = display.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, display, command, text=name, help=help_text)
