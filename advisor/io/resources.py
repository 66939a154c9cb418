"""Where the packaged data folders are.

In an installed package they sit inside ``advisor/``; in a source checkout
they sit beside it, at the top of the repository.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

FOLDERS = ("knowledge_base", "questionnaires", "reports", "samples")


def data_dir(name: str) -> Path:
    """The folder of packaged data called ``name`` (one of FOLDERS)."""
    if name not in FOLDERS:
        raise ValueError(name)
    packaged = resources.files("advisor").joinpath(name)
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / name
