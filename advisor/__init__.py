"""advisor: an expert system for the international action of local governments.

What other Python code may use is named here, and loaded when first used (so
``advisor --help`` imports none of it)::

    import advisor

    bundle = advisor.packaged_bundle()
    report = advisor.assess("respuestas.yaml", bundle)
    print(advisor.render(report, "md"))

Everything else is internal and may change.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .version import __version__

#: Public name → the module that defines it.
_API = {
    "packaged_bundle": "kb.load", "load_bundle": "kb.load", "Bundle": "kb.bundle",
    "load_answers": "model.answers", "Answers": "model.answers",
    "assess": "app.assessment", "compare_files": "app.assessment",
    "Report": "report.model", "Comparison": "report.compare",
    "render": "report.render", "render_comparison": "report.render",
    "render_bytes": "report.formats", "FORMATS": "report.formats",
    "format_error": "app.messages",
    "AdvisorError": "errors", "InputError": "errors", "PackagedDataError": "errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name not in _API:
        raise AttributeError(f"module 'advisor' has no attribute {name!r}")
    value = getattr(import_module(f".{_API[name]}", __name__), name)
    globals()[name] = value
    return value
