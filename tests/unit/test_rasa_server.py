"""The Rasa server's start: modules no part of this bot uses are left out, and Rasa still loads."""

import subprocess
import sys

# In a child process: what is left out of sys.modules cannot be put back in this one.
CHILD = """
import importlib, sys
from bot.tasks.rasa_server import leave_out_unused_modules
leave_out_unused_modules()
util = importlib.import_module("tensorflow.lite.python.util")
import rasa.core.agent  # noqa: F401
print(util._xla_computation is None, any(name.startswith("jaxlib") for name in sys.modules))
"""


def test_jax_is_left_out_and_tensorflow_and_rasa_still_import():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=300)
    assert out.stdout.split()[-2:] == ["True", "False"], out.stderr[-2000:]
