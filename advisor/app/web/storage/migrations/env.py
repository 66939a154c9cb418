"""Alembic's entry point: run by advisor.app.web.storage.database.migrate on the connection it
passes, never with its own configuration file."""

from alembic import context

from advisor.app.web.storage.database import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
