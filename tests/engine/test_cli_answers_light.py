"""Answering from the command line needs neither torch nor transformers (issue 18: every CLI
command feels instant): each command runs in a fresh interpreter, which then lists the heavy
modules that came along."""
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # each runs the bundled model in a new process (~1 s)

COMMANDS = [
    ["tokens", "unbelievable"],  # read the special tokens from transformers' tokenizer until issue 18
    ["fill", "The capital of France is [MASK]."],
    ["rank", "He is ___ old teacher.", "-o", "a", "-o", "an"],
    ["attention", "The cat sat on the mat.", "--layer", "1", "--head", "1"],
]
PROBE = ("import sys\nfrom tutor.cli import cli\n"
         "try:\n    cli(sys.argv[1:], prog_name='bert-tutor', standalone_mode=False)\n"
         "finally:\n    print('HEAVY:' + ','.join(m for m in ('torch', 'transformers') if m in sys.modules))\n")


@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_answering_commands_load_no_torch(args):
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stdout.rstrip().endswith("HEAVY:"), done.stdout[-300:]
