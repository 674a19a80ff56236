"""The UI paints before torch loads, and answering needs no torch: these modules must never
import torch (or transformers)."""
import subprocess
import sys

import pytest

LIGHT = ["tutor", "tutor.cli", "tutor.course", "tutor.progress", "tutor.app", "tutor.screens.home",
         "tutor.screens.lesson", "tutor.widgets.cloze", "tutor.analysis.attention", "tutor.model_catalog",
         "tutor.screens.model_picker", "tutor.engine_types", "tutor.rank_choices",
         "tutor.engine", "tutor.engine.engine", "tutor.engine.pll", "tutor.engine.networks", "tutor.engine.loading"]


@pytest.mark.parametrize("module", LIGHT)
def test_module_does_not_import_torch(module):
    code = (f"import sys, {module}; heavy = [m for m in ('torch', 'transformers') if m in sys.modules]; "
            "print(','.join(heavy)); sys.exit(1 if heavy else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{module} imported {result.stdout.strip()} {result.stderr[-500:]}"
