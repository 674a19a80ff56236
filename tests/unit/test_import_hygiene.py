"""The UI paints before torch loads, and answering needs no torch: these modules must never
import torch (or transformers)."""
import subprocess
import sys

import pytest

LIGHT = ["tutor", "tutor.cli", "tutor.course", "tutor.progress", "tutor.app", "tutor.screens.home",
         "tutor.screens.lesson", "tutor.widgets.cloze", "tutor.analysis.attention", "tutor.model_catalog",
         "tutor.screens.model_picker", "tutor.engine_types", "tutor.rank_choices",
         "tutor.engine", "tutor.engine.engine", "tutor.engine.pll", "tutor.engine.networks", "tutor.engine.loading"]
# Text building is plain Python: no model runtime and no UI (tutor/corpus/__init__.py says why).
PLAIN = ["tutor.corpus", "tutor.corpus.sentences", "tutor.corpus.build", "tutor.corpus.tasks",
         "tutor.corpus.geo_facts", "tutor.analysis.embeddings"]


def assert_imports_none(module: str, forbidden: tuple[str, ...]) -> None:
    """Import ``module`` in a fresh interpreter and fail if any of ``forbidden`` came along."""
    code = (f"import sys, {module}; heavy = [m for m in {forbidden!r} if m in sys.modules]; "
            "print(','.join(heavy)); sys.exit(1 if heavy else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{module} imported {result.stdout.strip()} {result.stderr[-500:]}"


@pytest.mark.parametrize("module", LIGHT)
def test_module_does_not_import_torch(module):
    assert_imports_none(module, ("torch", "transformers"))


@pytest.mark.parametrize("module", PLAIN)
def test_text_building_imports_no_runtime_and_no_ui(module):
    assert_imports_none(module, ("torch", "transformers", "onnxruntime", "textual"))
