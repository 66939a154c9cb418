"""experta 1.9.4 needs two repairs on Python 3.11+, made in advisor.engine._experta."""

import subprocess
import sys

PROBE = """
import collections, logging
root = logging.getLogger()
before = list(root.handlers)
import advisor.engine._experta as e
assert list(root.handlers) == before, root.handlers
assert not hasattr(collections, "Mapping")
from frozendict import frozendict
print(sys.version_info[:2], e.KnowledgeEngine.__name__, frozendict(a=1)["a"])
"""


def test_experta_imports_without_touching_logging_or_collections():
    # A fresh interpreter: the import side effects are what is under test.
    result = subprocess.run([sys.executable, "-c", "import sys\n" + PROBE], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "KnowledgeEngine 1" in result.stdout


def test_importing_advisor_does_not_log_to_stderr():
    code = "import logging, advisor.engine.base; logging.getLogger('experta').warning('x'); print('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok"
    # Without experta's basicConfig the root logger has no handler: Python's
    # last-resort handler prints only the bare message, never "WARNING:experta".
    assert "WARNING:experta" not in result.stderr
