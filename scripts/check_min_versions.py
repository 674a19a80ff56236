"""Prove pyproject.toml's dependency floors: install exactly the lowest versions it allows
into a throwaway venv and run the tests there.

Every ``name>=X`` of ``[project].dependencies`` and of the ``test`` extra becomes ``name==X``
(a dependency without a floor is an error: a floor nobody checks is a guess). torch is the
exception: it is pinned to ``--torch`` (default 2.13.0, the CPU wheel this machine keeps
locally), because the floor ``torch>=2.2`` is not a build anyone can fetch here.

    python scripts/check_min_versions.py                 # unit + app tests (no snapshots)
    python scripts/check_min_versions.py --engine        # also tests/engine (the real model)
    python scripts/check_min_versions.py -- -k progress  # extra pytest arguments

The venv lives in build/min-venv (ignored by git) and is rebuilt each run (``--reuse`` keeps
it while the floors are unchanged).
"""
from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "build" / "min-venv"
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.-]+)(\[[^\]]*\])?\s*(.*)$")
# Pixel-exact snapshots belong to the textual version they were taken with.
DEFAULT_TESTS = ["tests/unit", "tests/app", "--ignore=tests/app/test_snapshots.py",
                 "--ignore=tests/app/test_real_model.py"]


def floors(pyproject: Path, torch: str) -> list[str]:
    """``name==floor`` for every runtime and test dependency."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins = []
    for line in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        match = REQUIREMENT.match(line)
        if match is None:
            raise SystemExit(f"cannot read the requirement {line!r}")
        name, extras, spec = match.group(1), match.group(2) or "", match.group(3)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch", default="2.13.0", help="torch version to install (default: %(default)s)")
    parser.add_argument("--engine", action="store_true", help="also run tests/engine (loads the real model)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep build/min-venv when it was built for the same floors")
    parser.add_argument("pytest_args", nargs="*", help="extra arguments for pytest (after --)")
    args = parser.parse_args()

    pins = "\n".join(floors(ROOT / "pyproject.toml", args.torch)) + "\n"
    python = str(VENV / "bin" / "python")
    requirements = VENV / "min-requirements.txt"
    print("declared floors:", pins.replace("\n", " "), flush=True)
    if args.reuse and requirements.is_file() and requirements.read_text(encoding="utf-8") == pins:
        print("reusing", VENV, "(same floors)", flush=True)
    else:
        shutil.rmtree(VENV, ignore_errors=True)
        run(sys.executable, "-m", "venv", str(VENV))
        requirements.write_text(pins, encoding="utf-8")
        run(python, "-m", "pip", "install", "-q", "-r", str(requirements))
        run(python, "-m", "pip", "install", "-q", "--no-deps", "-e", ".")
    run(python, "-m", "pip", "check")
    tests = DEFAULT_TESTS + (["tests/engine"] if args.engine else [])
    run(python, "-m", "pytest", "-p", "no:cacheprovider", *tests, *args.pytest_args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
