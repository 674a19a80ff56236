"""Hostile lesson files (issue 15): nothing hangs, nothing crashes, every problem has file:line.

The "no hang" checks run the parser in a child process with a generous limit: before the fix
these inputs took minutes (quadratic scans) or forever (a FIFO), now they take well under a
second, so the limit only decides between "finished" and "hung", never how fast.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.course import check_paths, load_course, load_lesson, parse_lesson

ROOT = Path(__file__).resolve().parents[2]
FM = "---\nid: t\ntitle: T\n---\n"


def finishes(code: str, limit: float = 60.0) -> str:
    """Run ``code`` in a fresh interpreter; its stdout, or a failure if it does not finish."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=limit, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {limit:.0f} s (a hang or a quadratic scan)")
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- 15.6: linear time, regular files only ---------------------------------------------------
def test_heading_followed_by_many_spaces_is_linear():
    out = finishes("from tutor.course import parse_lesson\n"
                   f"l = parse_lesson({FM!r} + '## x' + ' ' * 200_000 + 'y\\n')\n"
                   "print(l.steps[0].title[:1], len(l.steps[0].title))")
    assert out.split() == ["x", "200002"]


def test_many_id_less_blocks_in_one_step_are_linear():
    out = finishes("from tutor.course import parse_lesson\n"
                   f"l = parse_lesson({FM!r} + '## s\\n' + '```tokens\\n```\\n' * 30_000)\n"
                   "ids = [b.id for b in l.blocks()]\n"
                   "print(len(ids), len(set(ids)), ids[-1], len(l.problems))")
    assert out.split() == ["30000", "30000", "tokens-1-30000", "30000"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_named_md_is_reported_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "ok.md").write_text(FM + "hello\n")
    out = finishes(
        "import sys\nfrom tutor.course import check_paths, load_course, load_lesson\n"
        f"folder = {str(tmp_path)!r}\n"
        "for p in check_paths([folder + '/pipe.md']): print('CHECK', p)\n"
        "c = load_course([folder])\n"
        "print('IDS', [l.id for l in c.lessons])\n"
        "for p in c.problems: print('COURSE', p)\n"
        "print('LESSON', load_lesson(folder + '/pipe.md').problems[0])", limit=30)
    pipe = tmp_path / "pipe.md"
    assert (f"CHECK {pipe}:1: is a named pipe (FIFO), not a lesson file; only regular files "
            "are read") in out
    assert "IDS ['t']" in out
    assert f"COURSE {pipe}: warning: skipped: a named pipe (FIFO) is not a lesson file" in out
    assert f"LESSON {pipe}:1: is a named pipe (FIFO)" in out


def test_a_device_is_not_read(tmp_path):
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    (problem,) = load_lesson("/dev/zero").problems
    assert problem.message == "is a device, not a lesson file; only regular files are read"


# -- 15.8: terminal escapes never leave the lesson file --------------------------------------
ESCAPES = "\x1b]52;c;ZXZpbA==\x07 \x1b]0;title\x07 \x1b[2J \x1b[?1049l \x7f \x9b \x85"


def everything_shown(lesson) -> list[str]:
    """Every string of a parsed lesson that the TUI or CLI may print."""
    out = [lesson.title, lesson.summary, *(s.title for s in lesson.steps)]
    for step in lesson.steps:
        for block in step.blocks:
            out.extend(v for v in vars(block).values() if isinstance(v, str))
            for spec in getattr(block, "blanks", ()):
                out.extend([*spec.answers, *spec.options, spec.explain, spec.hint])
            for choice in getattr(block, "choices", ()):
                out.extend([choice.text, choice.explain])
    out.extend(str(p) for p in lesson.problems)
    return out


def test_control_characters_are_reported_and_made_visible(tmp_path):
    path = tmp_path / "esc.md"
    path.write_text(f"---\nid: esc\ntitle: Esc {ESCAPES}\nsummary: s\x07\n---\n## Step \x1b[31mred\n"
                    f"Prose {ESCAPES}\n\n```quiz\nid: q\nquestion: Q\x1b[2J?\nchoices:\n"
                    "  - {text: \"a\\e[5m\", correct: true}\n  - {text: b\x07}\n```\n",
                    encoding="utf-8")
    lesson = load_lesson(path)
    warned = {p.line for p in lesson.problems if "control character" in p.message}
    assert warned == {3, 4, 6, 7, 11, 13, 14}, lesson.problems   # 13: YAML turns "\\e" into ESC
    assert all(p.severity == "warning" for p in lesson.problems), lesson.problems
    shown = everything_shown(lesson)
    assert not [s for s in shown if any(c in s for c in "\x1b\x07\x7f\x9b\x85")], shown
    assert lesson.title.startswith("Esc ␛]52;c;ZXZpbA==␇") and lesson.steps[0].title == "Step ␛[31mred"
    assert lesson.steps[0].interactive[0].choices[0].text == "a␛[5m"  # YAML's own \e escape too
    (problem,) = [p for p in check_paths([path]) if p.line == 3]
    assert str(problem) == (f"{path}:3: warning: control characters U+001B (ESC), U+0007 (BEL), "
                            "U+007F (DEL), U+009B (CSI), U+0085 (NEL) in the text; shown as ␛␇␡� "
                            "(terminal escape codes are never passed through)")


def test_control_characters_in_file_names_are_shown_not_sent(tmp_path):
    path = tmp_path / "a\x1b]0;pwned\x07.md"
    path.write_text("---\nid: a\ntitle: A\n---\nhi\n", encoding="utf-8")
    other = tmp_path / "b.md"
    other.write_text("---\nid: a\ntitle: B\n---\nhi\n", encoding="utf-8")
    problems = check_paths([tmp_path])
    text = "\n".join(str(p) for p in problems)
    assert "\x1b" not in text and "\x07" not in text
    assert (f"{tmp_path}/a␛]0;pwned␇.md:1: warning: the file name has control characters; it is "
            "shown as 'a␛]0;pwned␇.md' (rename the file)") in text
    assert f"duplicate lesson id 'a' (also in {tmp_path}/a␛]0;pwned␇.md:2)" in text
    assert load_lesson(path).title == "A"
    assert load_course([tmp_path]).lessons[0].path == path       # the real file is still read


# -- 15.10: only http(s) links stay links ----------------------------------------------------------
def hrefs_as_textual_sees_them(text: str) -> list[str]:
    """Every link target Textual's Markdown widget (markdown-it "gfm-like") would make."""
    from markdown_it import MarkdownIt

    found = []
    for token in MarkdownIt("gfm-like").parse(text):
        for child in token.children or ():
            if child.type in ("link_open", "image"):
                found.append(child.attrs.get("href", child.attrs.get("src")))
    return found


def test_only_http_links_stay_links_and_show_their_target():
    text = (FM + "## Links\n"
            "Read [the shadow](../../../../etc/shadow) and ![i](/etc/passwd), write to "
            "<mailto:me@x.org> or me@x.org, fetch ftp://host/f, see [docs](https://docs.example.org).\n"
            "\n> - quoted [rel](notes/a.md) and [![img](/etc/passwd)](https://ok.example.org)\n"
            "\nA [reference][r] and `[code](x)` stay as written.\n\n[r]: /etc/shadow\n")
    lesson = parse_lesson(text, "l.md")
    (prose,) = lesson.steps[0].blocks
    # each http(s) link twice: the link, then its target written out (linkified)
    assert hrefs_as_textual_sees_them(prose.text) == [
        "https://docs.example.org", "https://docs.example.org", "https://ok.example.org",
        "https://ok.example.org"]
    assert prose.text.split("\n")[0] == (
        "Read the shadow and i, write to `mailto:me@x.org` or `me@x.org`, fetch `ftp://host/f`, "
        "see [docs](https://docs.example.org) (https://docs.example.org).")
    assert "> - quoted rel and [img](https://ok.example.org) (https://ok.example.org)" in prose.text
    assert "A reference and `[code](x)` stay as written." in prose.text
    warned = [(p.line, p.message) for p in lesson.problems]
    assert (6, "link to '../../../../etc/shadow' is shown as plain text: only http(s) links are "
               "allowed") in warned
    assert [line for line, m in warned] == [6, 6, 6, 6, 6, 8, 8, 10]
    assert all(p.severity == "warning" for p in lesson.problems)


def test_http_links_alone_change_nothing_but_their_target():
    text = FM + "## s\nSee https://example.org and <https://example.org/x>.\n"
    (prose,) = parse_lesson(text).steps[0].blocks
    assert prose.text == "See https://example.org and <https://example.org/x>."
