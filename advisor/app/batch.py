"""Many answer files at once: a report per file, ``resumen.csv`` with one row
per government, and ``errores.csv`` with the files that were refused. A bad
file never stops the batch; work is spread over processes, each of which
loads and compiles the knowledge base once."""

from __future__ import annotations

import datetime as dt
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from .. import i18n
from ..engine.base import DEFAULT_ENGINE
from ..errors import AdvisorError, Problem
from ..i18n import _
from ..io import translations
from ..io.atomic import make_folder, write_atomic
from ..io.text import visible
from ..report.summary import csv_bytes, summary_csv, summary_row
from . import workers

#: Extensions of answer files a folder is searched for.
ANSWER_SUFFIXES = (".yaml", ".yml", ".json")
SUMMARY = "resumen.csv"
ERRORS = "errores.csv"


@dataclass
class Outcome:
    """What one file gave: rendered reports and a summary row, or the problems."""

    path: Path
    reports: dict[str, bytes] = field(default_factory=dict)
    row: dict[str, str] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


def answer_files(inputs: Sequence[str]) -> list[Path]:
    """The files named, and the answer files inside the folders named, sorted."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix.lower() in ANSWER_SUFFIXES and p.is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def _work(path: Path, formats: tuple[str, ...], date: dt.date | None, engine: str, lang: str = i18n.DEFAULT) -> Outcome:
    """Runs in a worker: the bundle is loaded and compiled once per process."""
    from ..kb.load import packaged_bundle
    from ..report.formats import render_bytes
    from .assessment import assess

    if i18n.current() != lang:
        translations.load(lang)
    try:
        report = assess(path, packaged_bundle(), date, engine)
        return Outcome(path, {fmt: render_bytes(report, fmt) for fmt in formats}, summary_row(report))
    except AdvisorError as error:
        return Outcome(path, problems=error.problems)
    except Exception as error:  # noqa: BLE001 - a defect shown on one file must not stop the others
        return Outcome(path, problems=(_defect(path, error),))


def _defect(path: Path, error: BaseException) -> Problem:
    return Problem(_("error interno al procesar este archivo ({kind}); es un defecto de advisor, no de sus datos",
                     kind=type(error).__name__), file=shown_path(path))


def shown_path(path: Path) -> str:
    """A file name as text: bytes that are not UTF-8 as escapes, never as
    surrogates no file or terminal can take."""
    return visible(os.fsencode(path).decode("utf-8", "backslashreplace"))


def run(
    paths: Sequence[Path],
    formats: tuple[str, ...],
    jobs: int,
    date: dt.date | None = None,
    engine: str = DEFAULT_ENGINE,
) -> Iterator[Outcome]:
    """Outcomes in the order of ``paths``, computed by ``jobs`` processes at
    most, never more than there are files or cores."""
    jobs = min(jobs, len(paths), default_jobs())
    if jobs <= 1:
        for path in paths:
            yield _work(path, formats, date, engine, i18n.current())
        return
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=workers.bound_to_parent, initargs=(os.getpid(),))
    try:
        chunk = max(1, len(paths) // (jobs * 8))
        n = len(paths)
        # Workers speak the language of the command (they may not inherit it).
        lang = [i18n.current()] * n
        yield from pool.map(_work, paths, [formats] * n, [date] * n, [engine] * n, lang, chunksize=chunk)
    except BaseException:
        # Stopped (Ctrl-C, SIGTERM, a write refused): no file not yet begun is started.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def write(
    outcomes: Iterable[Outcome],
    folder: Path,
    describe: Callable[[AdvisorError], str],
    progress: Callable[[Outcome], None] = lambda outcome: None,
    separator: str = ",",
) -> tuple[int, int]:
    """Write every report, then the two CSV files; returns (done, refused)."""
    make_folder(folder)
    rows: list[dict[str, str]] = []
    errors: list[dict[str, str]] = []
    used: set[str] = set()
    for outcome in outcomes:
        # Every file takes its name, refused or not, so that names are known before the batch runs (``outputs``).
        stem = _unique_stem(outcome.path, used)
        if not outcome.problems:
            try:
                for fmt, content in outcome.reports.items():
                    write_atomic(folder / f"{stem}.{fmt}", content)
            except AdvisorError as error:
                outcome.problems = error.problems
            else:
                rows.append({"archivo": shown_path(outcome.path), "informe": stem, **outcome.row})
        if outcome.problems:
            errors.append({"archivo": shown_path(outcome.path), "mensaje": describe(AdvisorError(outcome.problems))})
        progress(outcome)
    write_atomic(folder / SUMMARY, summary_csv(rows, separator))
    write_atomic(folder / ERRORS, csv_bytes(errors, ["archivo", "mensaje"], separator))
    return len(rows), len(errors)


def _unique_stem(path: Path, used: set[str]) -> str:
    """Report names follow the answer file's; two files of the same name in
    different folders get -2, -3…"""
    base = _safe_stem(path)
    stem, number = base, 1
    while stem in used:
        number += 1
        stem = f"{base}-{number}"
    used.add(stem)
    return stem


def outputs(paths: Sequence[Path], folder: Path, formats: Sequence[str]) -> list[Path]:
    """Every file a batch of ``paths`` may write in ``folder``, as ``write`` names them."""
    used: set[str] = set()
    stems = [_unique_stem(path, used) for path in paths]
    return [folder / f"{stem}.{fmt}" for stem in stems for fmt in formats] + [folder / SUMMARY, folder / ERRORS]


def _safe_stem(path: Path) -> str:
    """The answer file's stem as a report name any file system takes: only
    letters, digits and a few signs, at most 100 bytes."""
    text = os.fsencode(path.stem).decode("utf-8", "replace")
    safe = "".join(c if c.isalnum() or c in "-_. " else "_" for c in text).strip(". ") or "informe"
    while len(safe.encode("utf-8")) > 100:
        safe = safe[:-1]
    return safe


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
