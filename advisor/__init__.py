"""advisor: an expert system for the international action of local governments."""

from .version import __version__

__all__ = ["__version__"]
