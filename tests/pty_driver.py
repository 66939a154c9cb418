"""Driving the real `advisor ask` in a pseudo-terminal: keys, and answering
what the screen asks. Shared by the interview tests."""

from __future__ import annotations

import os
import re

import pexpect
from conftest import advisor_command

ENTER, DOWN, SPACE, CTRL_C = "\r", "\x1b[B", " ", "\x03"


def spawn(tmp_path, *args):
    # pexpect is a pseudo-terminal, not a terminal emulator: it never answers
    # prompt_toolkit's cursor-position request, which then waits for it at
    # every prompt. A real terminal answers at once.
    command = advisor_command()
    child = pexpect.spawn(
        command[0], [*command[1:], "ask", *args], cwd=str(tmp_path), encoding="utf-8", timeout=30,
        dimensions=(60, 220), env={**os.environ, "TERM": "xterm", "PYTHONWARNINGS": "ignore",
                                   "PROMPT_TOOLKIT_NO_CPR": "1"},
    )
    # pexpect sleeps 50 ms before every send, for programs that drop what is
    # typed before they read it; prompt_toolkit keeps it (a typed-ahead key
    # waits in the terminal), and every send here follows its prompt on screen.
    child.delaybeforesend = None
    return child


def answer(child, question: str, keys: str) -> None:
    child.expect(re.escape(question))
    child.send(keys)


def pick(child, question: str, downs: int = 0) -> None:
    answer(child, question, DOWN * downs + ENTER)


def yes_no(child, question: str, downs: int = 0) -> None:
    """A yes/no question not answered before: the cursor starts on a line that
    records nothing, so «Sí» is one DOWN away (``downs`` 0), «No» two."""
    pick(child, question, downs + 1)
