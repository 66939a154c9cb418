"""The command line: a parser and thin commands over the application layer."""

from .program import main

__all__ = ["main"]
