"""Workshops: a class answering one questionnaire under a short code, the
participants' assessments referring to it, and their cached results.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshops",
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("questionnaire", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(64), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    # A plain ADD COLUMN, not a batch copy of the table: on SQLite a copy drops
    # the old table, and dropping it would clear every follow-up's link
    # (previous_id … ON DELETE SET NULL). SQLite takes the reference inline.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE assessments ADD COLUMN workshop_code VARCHAR(8) "
                   "REFERENCES workshops (code) ON DELETE CASCADE")
    else:
        op.add_column("assessments", sa.Column("workshop_code", sa.String(8), nullable=True))
        op.create_foreign_key("fk_assessments_workshop", "assessments", "workshops", ["workshop_code"], ["code"],
                              ondelete="CASCADE")
    op.add_column("assessments", sa.Column("participant", sa.String(100), nullable=True))
    op.create_index("ix_assessments_workshop_code", "assessments", ["workshop_code"])
    op.create_table(
        "workshop_results",
        sa.Column("assessment_id", sa.String(64), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("workshop_results")
    op.drop_index("ix_assessments_workshop_code", table_name="assessments")
    connection = op.get_bind()
    # SQLite drops these columns by copying the table; dropping the old one
    # would clear the follow-ups' links, so they are put back after.
    links = connection.execute(sa.text("SELECT id, previous_id FROM assessments WHERE previous_id IS NOT NULL")).all()
    with op.batch_alter_table("assessments") as batch:
        if connection.dialect.name != "sqlite":
            batch.drop_constraint("fk_assessments_workshop", type_="foreignkey")
        batch.drop_column("participant")
        batch.drop_column("workshop_code")
    for ident, previous in links:
        connection.execute(sa.text("UPDATE assessments SET previous_id = :p WHERE id = :i"),
                           {"p": previous, "i": ident})
    op.drop_table("workshops")
