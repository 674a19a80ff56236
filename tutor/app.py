"""TutorApp and ``make_app``, the factory shared by the CLI and the tests.

The home screen paints before torch is imported: the model loads in a thread worker and the
app's ``engine_status`` reactive tells every widget when it is ready (widgets ``watch`` it).
The progress store is opened on the UI thread (it is fast) and only written from it.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from tutor import cjk_wrap
from tutor.course import Course, load_course
from tutor.course.blocks import Lesson
from tutor.i18n import LANGUAGES, N_, _, resolve_language, set_language
from tutor.paths import BUNDLED_MODEL, course_dir
from tutor.screens.language import LanguageChanged
from tutor.screens.live_reload import CourseChanged, CourseReloaded, lesson_changes
from tutor.screens.palette import LessonCommands
from tutor.theme_contrast import accessible_variables
from tutor.ui_settings import UiSettings, default_settings_path

EngineFactory = Callable[[str | None], Any]
WATCH_WORKER = "watch-lessons"
DEFAULT_SETTINGS = "<user config dir>"  # make_app's default: the learner's own settings file
# Textual's own palette commands, translated where the palette lists them (get_system_commands)
TEXTUAL_COMMANDS = (N_("Theme"), N_("Change the current theme"), N_("Quit"),
                    N_("Quit the application as soon as possible"), N_("Keys"),
                    N_("Hide the keys and widget help panel"),
                    N_("Show help for the focused widget and a summary of available keys"), N_("Minimize"),
                    N_("Minimize the widget and restore to normal size"), N_("Maximize"),
                    N_("Maximize the focused widget"), N_("Screenshot"),
                    N_("Save an SVG 'screenshot' of the current screen"))


def _load_real_engine(model: str | None, notice: Callable[[str], None] | None = None):
    from tutor.engine import load_engine  # heavy imports: only ever inside the worker

    return load_engine(model, notice=notice)


class TutorApp(App):
    """The bert-tutor terminal app."""

    CSS_PATH = "tutor.tcss"
    COMMANDS = App.COMMANDS | {LessonCommands}
    TITLE = "bert-tutor"
    BINDINGS = [
        ("question_mark", "help", N_("Help")),
        Binding("ctrl+t", "toggle_dark", N_("Theme"), show=False),  # in help and the palette; footers stay short
        ("ctrl+q", "quit", N_("Quit")),
    ]

    engine_status: reactive[str] = reactive("loading")  # loading | ready | failed
    engine_message: reactive[str] = reactive("")
    engine_error = ""  # why the model failed to load, for the badge's tooltip

    def __init__(self, *, model: str | None = None, lesson_dirs: Iterable[str | Path] = (),
                 profile: str | None = None, db_path: str | None = None,
                 engine_factory: EngineFactory | None = None, start: str | None = None,
                 store: Any = None, settings_path: str | Path | None = DEFAULT_SETTINGS,
                 watch_lessons: bool | None = None, lang: str | None = None):
        super().__init__()
        cjk_wrap.install()  # Chinese lines break between characters, not only at spaces
        self.watch_lessons = watch_lessons  # None: on, except headless (tests wait for every worker)
        path = default_settings_path() if settings_path is DEFAULT_SETTINGS else settings_path
        self.settings = UiSettings.load(Path(path) if path is not None else None)
        self.model_name = model or BUNDLED_MODEL
        self.requested_model = model
        # --lang, then the saved choice, then LC_ALL/LANG: the interface and the bundled course
        self.language = set_language(resolve_language(lang, self.settings.get_str("language")))
        if self.settings.notice:  # read again so that its notice is in the language just chosen
            self.settings = UiSettings.load(self.settings.path)
        self.extra_lesson_dirs = [Path(d) for d in lesson_dirs]
        self.lesson_dirs = [course_dir(self.language), *self.extra_lesson_dirs]
        self.profile = profile
        self.db_path = db_path
        self.engine_factory = engine_factory or _load_real_engine
        self.start = start
        self.engine: Any = None
        self._previous_engine: Any = None  # the working model, kept while another one loads
        self.course: Course = load_course(self.lesson_dirs)
        self.store = store

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables with every text colour made AA-readable (tutor/theme_contrast.py)."""
        variables = accessible_variables(super().get_css_variables(), dark=self.current_theme.dark)
        self.theme_variables = variables
        return variables

    # -- start-up -------------------------------------------------------------------------
    def on_mount(self) -> None:
        # the model loads in a worker while the store opens and the home screen paints
        self.load_model(self.requested_model)
        if self.store is None:
            from tutor.progress import open_store

            self.store = open_store(db_path=self.db_path, profile=self.profile)
        if getattr(self.store, "notice", None):
            self.notify(self.store.notice, title=_("Progress"), severity="warning", timeout=10, markup=False)
        from tutor.screens.home import HomeScreen

        saved_theme = self.settings.get_str("theme")
        if saved_theme in self.available_themes:
            self.theme = saved_theme
        if self.settings.notice:
            self.notify(self.settings.notice, title=_("Settings"), severity="warning", markup=False)
        self.watch(self, "theme", self._remember_theme, init=False)
        self.push_screen(HomeScreen())
        self.announce_course_problems()
        if self.start == "review":
            self.action_review()
        elif self.start == "playground":
            self.action_playground()
        if self.watch_lessons or (self.watch_lessons is None and not self.is_headless):
            self._watch_lesson_dirs()
        self.set_interval(1.0, self._show_store_messages)

    def _show_store_messages(self) -> None:
        """Saving delayed by a lock, delayed records saved: each said once (tutor/progress/delayed.py)."""
        take = getattr(self.store, "take_messages", None)
        for message in take() if take else ():
            self.notify(message, title=_("Progress"), severity="warning", markup=False)

    def on_unmount(self) -> None:
        close = getattr(self.store, "close", None)
        if close is not None:
            try:
                close()  # queued writes get their last chance to be saved
            except Exception:  # the app is closing: the side file keeps what could not be saved
                pass

    def load_model(self, model: str | None) -> None:
        """(Re)load the model in a thread worker; widgets watch ``engine_status``.

        A working model stays loaded until the new one is ready, so a failed switch (a hub id
        while offline, a folder that is not a model) leaves the learner where they were."""
        self._previous_engine = self.engine or self._previous_engine
        self.model_name = model or BUNDLED_MODEL
        self.engine = None
        self.engine_error = ""
        self.engine_status = "loading"
        self.engine_message = self._engine_text()
        if self.engine_factory is _load_real_engine:  # a first-use conversion says so in the badge
            load = lambda: _load_real_engine(model, notice=self._engine_notice)  # noqa: E731
        else:
            load = lambda: self.engine_factory(model)  # noqa: E731
        self.run_worker(load, thread=True, exclusive=True, group="engine", name="load-engine",
                        exit_on_error=False)

    def _engine_notice(self, text: str) -> None:
        """Worker thread: a one-line note from the engine (converting once, a torch fall-back)."""
        self.call_from_thread(setattr, self, "engine_message", text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name == WATCH_WORKER and event.state == WorkerState.ERROR:
            self.notify(_("Live reload stopped: {error}").format(error=event.worker.error), title=_("Lessons"),
                        severity="warning", markup=False)
        if event.worker.name != "load-engine":
            return
        if event.state == WorkerState.SUCCESS:
            self.engine, self._previous_engine = event.worker.result, None
            self.model_name = getattr(self.engine, "name", self.model_name)
            self.engine_status = "ready"
            self.engine_message = self._engine_text()
            notice = getattr(self.engine, "notice", "")
            if notice:
                self.notify(str(notice), title=_("Model"), severity="warning", markup=False)
        elif event.state == WorkerState.ERROR:
            error, wanted, previous = event.worker.error, self.model_name, self._previous_engine
            if previous is not None:
                self.engine, self._previous_engine = previous, None
                self.model_name = getattr(previous, "name", BUNDLED_MODEL)
                self.engine_status = "ready"
                self.engine_message = self._engine_text()
                self.notify(_("Could not load {model}: {error}\nStill using {current}.").format(
                                model=wanted, error=error, current=self.model_name),
                            title=_("Model not switched"), severity="error", timeout=15, markup=False)
                return
            self.engine_error = str(error)
            self.engine_status = "failed"
            self.engine_message = self._engine_text()
            self.notify(str(error), title=_("Model"), severity="error", timeout=15, markup=False)

    def _engine_text(self) -> str:
        """The model badge's tooltip for the current status, in the current language."""
        if self.engine_status == "ready":
            return _("{model} ready").format(model=self.model_name)
        if self.engine_status == "failed":
            return _("model failed to load: {error}").format(error=self.engine_error)
        return _("loading {model}…").format(model=self.model_name)

    def now(self) -> datetime:
        """The clock review scheduling reads (tests move it forward instead of waiting)."""
        return datetime.now()

    # -- navigation -----------------------------------------------------------------------
    def open_lesson(self, lesson_id: str | Lesson, step: int | None = None) -> None:
        """Open a lesson by id (or the course's Lesson itself), at the saved step by default."""
        from tutor.screens.lesson import LessonScreen

        lesson = lesson_id if isinstance(lesson_id, Lesson) else self.course.get(lesson_id)
        if lesson is None:
            self.notify(_("no lesson '{lesson}'").format(lesson=lesson_id), severity="error", markup=False)
            return
        first = self.shadowed_by(lesson)
        if first is not None:  # its progress would be mixed with the other lesson's
            self.notify(_("{where} cannot be opened: its id '{id}' is already used by {other}.").format(
                            where=_where(lesson), id=lesson.id, other=_where(first)),
                        title=_("Duplicate lesson id"), severity="error", markup=False)
            return
        lesson_id = lesson.id
        if step is None and self.store is not None:
            try:
                saved = self.store.lesson_progress().get(lesson_id)
            except Exception:  # an unreadable store must not keep the lesson closed
                saved = None
            # the store counts steps from 1 (as the learner reads them); the screen from 0
            step = saved.step - 1 if saved and saved.status != "done" else 0
        self.push_screen(LessonScreen(lesson, step=max(0, step or 0)))

    def reload_course(self) -> None:
        self.course = load_course(self.lesson_dirs)
        self.announce_course_problems()

    # -- live reload ------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="watch", name=WATCH_WORKER, exit_on_error=False)
    def _watch_lesson_dirs(self) -> None:
        """Watch every lesson folder until the app ends (cancelling sets the stop event)."""
        worker = get_current_worker()
        for paths in lesson_changes(self.lesson_dirs, worker.cancelled_event):
            self.post_message(CourseChanged(load_course(self.lesson_dirs), paths))

    def on_course_changed(self, message: CourseChanged) -> None:
        self.course = message.course
        self.announce_course_problems()
        for screen in self.screen_stack:
            screen.post_message(CourseReloaded(message.paths))

    def shadowed_by(self, lesson: Lesson) -> Lesson | None:
        """The earlier lesson that owns ``lesson``'s id, when ``lesson`` is a duplicate."""
        first = self.course.get(lesson.id)
        return first if first is not None and first is not lesson else None

    def announce_course_problems(self) -> None:
        """Say once, in a notice, which lessons cannot be opened because their id is taken."""
        lines = []
        for lesson in [*self.course.lessons, *getattr(self.course, "skipped", ())]:
            first = self.shadowed_by(lesson)
            if first is not None:
                lines.append(_("{where} uses the id '{id}' of {other}").format(
                    where=_where(lesson), id=lesson.id, other=_where(first)))
        if lines:
            self.notify("\n".join([*lines[:4], *(["…"] if len(lines) > 4 else []),
                                   _("Give each lesson its own id (bert-tutor lessons check).")]),
                        title=_("Duplicate lesson ids"), severity="warning", timeout=20, markup=False)

    def action_help(self) -> None:
        from tutor.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_playground(self) -> None:
        from tutor.screens.playground import PlaygroundScreen

        self.push_screen(PlaygroundScreen())

    def action_progress(self) -> None:
        from tutor.screens.stats import StatsScreen

        self.push_screen(StatsScreen())

    def action_review(self) -> None:
        from tutor.screens.review import ReviewScreen

        self.push_screen(ReviewScreen())

    def action_toggle_dark(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_switch_language(self) -> None:
        """English ⇄ 中文: the bundled course and the interface; remembered for the next launch."""
        others = [lang for lang in LANGUAGES if lang != self.language]
        self.language = set_language(others[0])
        if not self.settings.set("language", self.language):
            self.notify(self.settings.notice or "", title=_("Settings"), severity="warning", markup=False)
        self.lesson_dirs = [course_dir(self.language), *self.extra_lesson_dirs]
        self.reload_course()
        self.engine_message = self._engine_text()
        for screen in self.screen_stack:  # each redraws in the new language (tutor/screens/language.py)
            screen.post_message(LanguageChanged())
        self.notify(_("The course and the interface are now in English."), title=_("Language"), markup=False)

    def _remember_theme(self, theme: str) -> None:
        """Any theme change (ctrl+t or the palette's theme picker) is kept for the next launch."""
        if not self.settings.set("theme", theme):
            self.notify(self.settings.notice or "", title=_("Settings"), severity="warning", markup=False)

    def action_switch_model(self) -> None:
        from tutor.screens.model_picker import ModelPickerScreen

        def chosen(model: str | None) -> None:
            if model and model == self.model_name and self.engine is not None:
                self.notify(_("Already using {model}.").format(model=model), markup=False)
            elif model:
                self.load_model(model)

        if not any(isinstance(screen, ModelPickerScreen) for screen in self.screen_stack):
            self.push_screen(ModelPickerScreen(), chosen)

    def action_command_palette(self) -> None:
        """Textual's palette, its search prompt in the current language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def get_system_commands(self, screen: Screen):
        for command in super().get_system_commands(screen):  # Textual's own: theme, keys, quit …
            yield command._replace(title=_(command.title), help=_(command.help))
        yield SystemCommand(_("Open playground"), _("Fill blanks, tokens, masking, attention, embeddings"),
                            self.action_playground)
        yield SystemCommand(_("Show progress"), _("Your scores per lesson, you vs BERT"), self.action_progress)
        yield SystemCommand(_("Review missed items"), _("Spaced review of blanks and questions you missed"),
                            self.action_review)
        yield SystemCommand(_("Switch model"), _("Load another masked LM (bundled, cached or a folder)"),
                            self.action_switch_model)
        yield SystemCommand(_("Toggle dark / light theme"), _("Switch between the dark and light themes"),
                            self.action_toggle_dark)
        yield SystemCommand(_("Switch language: English / 中文"), _("The course and the interface in the other language"),
                            self.action_switch_language)


def _where(lesson: Lesson) -> str:
    line = lesson.meta_lines.get("id")
    return f"{lesson.path}:{line}" if lesson.path and line else str(lesson.path or lesson.title)


def make_app(*, model: str | None = None, lesson_dirs: Iterable[str | Path] = (), profile: str | None = None,
             db_path: str | None = None, engine_factory: EngineFactory | None = None,
             start: str | None = None, store: Any = None,
             settings_path: str | Path | None = DEFAULT_SETTINGS, watch_lessons: bool | None = None,
             lang: str | None = None) -> TutorApp:
    """Build the app; the CLI passes its options, tests pass a fake engine, a temp DB and
    ``settings_path=None`` (remember nothing) or a temp file."""
    return TutorApp(model=model, lesson_dirs=lesson_dirs, profile=profile, db_path=db_path,
                    engine_factory=engine_factory, start=start, store=store, settings_path=settings_path,
                    watch_lessons=watch_lessons, lang=lang)
