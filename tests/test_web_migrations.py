"""The schema's migrations on a database that already holds assessments:
adding the workshops keeps every assessment and every follow-up's link, and
so does going back."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa


def test_workshops_migration_keeps_assessments_and_their_links(tmp_path):
    from alembic import command
    from alembic.config import Config

    from advisor.app.web.storage import database as db

    engine = db.create(db.database_url(f"sqlite:///{tmp_path / 'advisor.db'}"))
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))

    def to(revision: str, down: bool = False) -> None:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)

    def links() -> list[tuple]:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT id, previous_id FROM assessments ORDER BY id")).all()

    to("0001")
    now = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as connection:
        for ident, previous in (("a" * 32, None), ("b" * 32, "a" * 32)):
            connection.execute(sa.text("INSERT INTO assessments VALUES (:i, 'diagnostico', '{}', 1, :p, :n, :n)"),
                               {"i": ident, "p": previous, "n": now})
    before = links()
    db.migrate(engine)
    assert links() == before
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT workshop_code, participant FROM assessments")).all() == [(None,
                                                                                                            None)] * 2
    to("0001", down=True)
    assert links() == before
    engine.dispose()


def test_the_limits_migration_keeps_workshops_and_their_participants_both_ways(tmp_path):
    from alembic import command
    from alembic.config import Config
    from starlette.testclient import TestClient
    from web_helpers import make_app

    from advisor.app.web.storage import database as db

    path = tmp_path / "advisor.db"
    with TestClient(make_app(path)) as client:
        code = client.post("/api/talleres", json={"nombre": "Curso"}).json()["codigo"]
        ident = client.post(f"/api/talleres/{code}/evaluaciones?nombre=Ana",
                            json={"cuestionario": "diagnostico", "version": 1, "respuestas": {}}).json()["id"]
    engine = db.create(db.database_url(f"sqlite:///{path}"))
    config = Config()
    config.set_main_option("script_location", str(db.MIGRATIONS))

    def people() -> list[tuple]:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT id, workshop_code, participant FROM assessments")).all()

    assert people() == [(ident, code, "Ana")]
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")  # the revision below the limits
    assert people() == [(ident, code, "Ana")]
    with engine.connect() as connection:
        assert "capacity" not in {c["name"] for c in sa.inspect(connection).get_columns("workshops")}
        assert {"removed", "renders"} <= set(sa.inspect(connection).get_table_names())
        assert "rate_counts" not in sa.inspect(connection).get_table_names()
    db.migrate(engine)
    assert people() == [(ident, code, "Ana")]
    engine.dispose()
