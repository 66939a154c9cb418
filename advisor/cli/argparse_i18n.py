"""argparse's own words (usage, «options», its errors) in the language in use,
through the channel argparse offers for it: it asks ``gettext`` for every
word in the process's text domain, so inside :func:`speaking` that domain is
``argparse`` with advisor's catalog of argparse's messages
(``advisor/locale/<lang>/LC_MESSAGES/argparse.po``). In English, argparse's
own language, it is left alone.

Every parser of advisor, ``serve``'s included, is built and read inside
:func:`speaking` (argparse asks for some words while building: «options»)."""

from __future__ import annotations

import contextlib
import gettext
import os
from typing import Iterator

from .. import i18n
from ..io import catalogs


@contextlib.contextmanager
def speaking() -> Iterator[None]:
    """argparse in the language in use inside the block, and gettext as it
    was after it."""
    lang = i18n.current()
    where = catalogs.folder(lang, catalogs.ARGPARSE) if lang != catalogs.ARGPARSE_SOURCE else None
    if where is None:
        yield
        return
    saved_language = os.environ.get("LANGUAGE")
    saved_domain = gettext.textdomain()
    gettext.bindtextdomain(catalogs.ARGPARSE, str(where))
    gettext.textdomain(catalogs.ARGPARSE)
    # gettext chooses the catalog's language from the environment, whatever
    # the system's locale: the language of advisor's --lang wins inside.
    os.environ["LANGUAGE"] = lang
    try:
        yield
    finally:
        gettext.textdomain(saved_domain)
        if saved_language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved_language
