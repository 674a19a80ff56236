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
