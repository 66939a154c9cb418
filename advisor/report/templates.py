"""The check that the report templates compile, made once per installed
version: a command that finds it done imports no renderer (render.py and the
modules it needs cost a tenth of a second of CPU)."""

from __future__ import annotations

from pathlib import Path

from ..errors import PackagedDataError, ValidationError
from ..io import cache
from ..io.resources import data_dir
from ..version import __version__


def check_templates(questionnaires: list[str], folder: str | None = None) -> None:
    """Compile every template the reports of these questionnaires use, so a broken
    one is refused when the program starts, not halfway through. The packaged
    templates are checked once per installed version (see cache.py)."""
    if folder is not None:
        _compile(questionnaires, folder)
        return
    # The renderer's code decides what is compiled and how: it is in the key.
    renderer = Path(__file__).with_name("render.py")
    key = cache.fingerprint([__version__, *questionnaires], [data_dir("reports"), renderer])
    try:
        cache.cached("plantillas", key, lambda: _compile(questionnaires, None))
    except ValidationError as error:
        raise PackagedDataError(error.problems) from None  # the installed templates: a defect


def _compile(questionnaires: list[str], folder: str | None) -> bool:
    from .render import compile_templates

    return compile_templates(questionnaires, folder)
