"""The database: which one (a SQLite file in the user's data folder unless
``--db`` names another), how it is opened, and its schema brought up to date
by the Alembic migrations shipped in this package."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import threading
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

from ....errors import Problem, UsageError
from ....i18n import _

MIGRATIONS = Path(__file__).with_name("migrations")
#: Any number; the same in every process sharing one PostgreSQL database.
_MIGRATION_LOCK = 716_016

metadata = sa.MetaData()

#: A workshop (CONTRACT §5, second table): a class answering one questionnaire.
#: Only a digest of the trainer's token is kept; ``closed_at`` set freezes it.
workshops = sa.Table(
    "workshops",
    metadata,
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("questionnaire", sa.String(64), nullable=False),
    sa.Column("reference", sa.String(64), nullable=True),
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    # How many may join (null: workshops.CAPACITY); from migration 0004_limits.
    sa.Column("capacity", sa.Integer, nullable=True),
)

#: One assessment: an answer file (CONTRACT §1) as JSON, possibly partial.
#: ``revision`` counts its changes, so that two writers never lose each other's.
#: A workshop participant's has the workshop's code and the name the participant gave.
assessments = sa.Table(
    "assessments",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("questionnaire", sa.String(64), nullable=False),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("previous_id", sa.String(64), sa.ForeignKey("assessments.id", ondelete="SET NULL"), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("workshop_code", sa.String(8), sa.ForeignKey("workshops.code", ondelete="CASCADE"), nullable=True,
              index=True),
    sa.Column("participant", sa.String(100), nullable=True),
    sa.Index("ix_assessments_updated_at", "updated_at"),
)

#: What the class view needs of a participant's report (levels, recommendations,
#: the summary row, progress), computed for the assessment's ``revision``: a
#: trainer's page infers only the reports that changed since it last looked.
workshop_results = sa.Table(
    "workshop_results",
    metadata,
    sa.Column("assessment_id", sa.String(64), sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),
)


#: What was deleted (a workshop, a participant's assessment), by a SHA-256
#: digest of its code or id only: its old address then says what happened
#: instead of «it does not exist», and nothing of it can be read back.
removed = sa.Table(
    "removed",
    metadata,
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
)

#: An assessment's report rendered once for a revision, format, language and
#: advisor version, and served from here until the answers change (any
#: process may fill it; a newer advisor renders again).
renders = sa.Table(
    "renders",
    metadata,
    sa.Column("assessment_id", sa.String(64), sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("revision", sa.Integer, primary_key=True),
    sa.Column("format", sa.String(16), primary_key=True),
    sa.Column("lang", sa.String(8), primary_key=True),
    sa.Column("version", sa.String(32), primary_key=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

#: Requests counted per address, kind and window (the rate limits, migration 0004).
rate_counts = sa.Table(
    "rate_counts",
    metadata,
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("client", sa.String(64), primary_key=True),
    sa.Column("bucket", sa.BigInteger, primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
    sa.Index("ix_rate_counts_bucket", "bucket"),
)
DAY = 86400

#: The server's own secrets, made once and shared by every process on the database.
server_secrets = sa.Table(
    "server_secrets",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("value", sa.String(128), nullable=False),
)


def now() -> dt.datetime:
    """The moment a row is written, in UTC."""
    return dt.datetime.now(dt.UTC)


def unguessable() -> str:
    """192 random bits, URL-safe: an assessment's id, a trainer's token."""
    return secrets.token_urlsafe(24)


def default_path() -> Path:
    """``$XDG_DATA_HOME/advisor/advisor.db``, or ``~/.local/share/advisor/advisor.db``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "advisor" / "advisor.db"


def database_url(text: str | None) -> URL:
    """The URL of ``--db`` (or the default file), with the driver we use; a URL
    we cannot use is refused with a Spanish message."""
    expected = _("sqlite:///RUTA o postgresql://USUARIO:CLAVE@SERVIDOR:PUERTO/BASE")
    if text is None:
        path = default_path()
        _make_folder(path)
        return URL.create("sqlite", database=str(path))
    try:
        url = make_url(text)
    except Exception:  # sqlalchemy's ArgumentError, or a ValueError from a bad port
        raise UsageError(Problem(_("la dirección de la base de datos no es válida"), key="--db",
                                 expected=expected)) from None
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        if not url.database or url.database == ":memory:":
            raise UsageError(Problem(_("la base SQLite necesita un archivo"), key="--db", expected=expected))
        _make_folder(Path(url.database))
        return url.set(drivername="sqlite")
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return url.set(drivername="postgresql+psycopg")
    raise UsageError(Problem(_("el tipo de base de datos «{kind}» no es compatible", kind=url.drivername),
                             key="--db", expected=expected))


def _make_folder(path: Path) -> None:
    try:
        path.expanduser().parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(Problem(_("no se pudo crear la carpeta de la base de datos ({reason})", reason=exc.strerror),
                                 file=str(path.parent), key="--db")) from None


def shown(url: URL) -> str:
    """The database as the start-up message names it: a file's path, or the URL without its password."""
    return (url.database or "") if url.drivername == "sqlite" else url.render_as_string(hide_password=True)


def create(url: URL) -> Engine:
    """An engine whose every commit is durable: SQLite in WAL mode with
    ``synchronous=FULL``, waiting for a writer rather than failing."""
    if url.drivername == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(connection, _record):
            cursor = connection.cursor()
            for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=30000"):
                cursor.execute(f"PRAGMA {pragma}")
            cursor.close()

        _one_writer_at_a_time(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})


def _one_writer_at_a_time(engine: Engine) -> None:
    """Let this process's SQLite writers take turns on a lock of its own.

    SQLite lets one transaction write at a time and makes the others wait in
    its busy handler, which sleeps 1, 2, 5… up to 100 ms between tries and
    serves nobody in order: with a class saving at once, a save waited a third
    of a second. A lock taken at a transaction's first write and released when
    it ends queues them instead. Other processes on the same file still meet
    SQLite's own wait.
    """
    lock = threading.Lock()

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _writing(connection, _cursor, statement, _parameters, _context, _many):
        if not connection.info.get("writing") and statement.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            # A lock never freed (a defect elsewhere) must not stop the server: SQLite's wait takes over.
            connection.info["writing"] = lock.acquire(timeout=30)

    def _done(connection) -> None:
        if connection.info.pop("writing", False):
            lock.release()

    sa.event.listen(engine, "commit", _done)
    sa.event.listen(engine, "rollback", _done)


def insert(connection: sa.Connection | str, table: sa.Table):
    """An INSERT that can take ON CONFLICT (an upsert), in this connection's dialect (or the dialect named)."""
    dialect = connection if isinstance(connection, str) else connection.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    from sqlalchemy.dialects import sqlite

    return sqlite.insert(table)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; a database that cannot be
    reached is refused with a Spanish message."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                # Several servers starting at once: one migrates, the others wait.
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except sa.exc.OperationalError as exc:
        raise UsageError(Problem(_("no se pudo abrir la base de datos ({reason})", reason=reason(exc)), key="--db",
                                 expected=_("una base de datos en marcha y accesible con esos datos"))) from None


def reason(exc: sa.exc.OperationalError) -> str:
    text = str(exc.orig).strip().splitlines()
    return text[0] if text else type(exc.orig).__name__
