"""Limits: counters of what each client address did lately (rate limits shared
by every server process), the server's own secrets (the CSRF tokens' key), a
participant cap per workshop, and an index to find abandoned assessments.

Revision ID: 0004_limits
Revises: 0003
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_limits"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_counts",
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("client", sa.String(64), primary_key=True),
        sa.Column("bucket", sa.BigInteger, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )
    op.create_index("ix_rate_counts_bucket", "rate_counts", ["bucket"])
    op.create_table(
        "server_secrets",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
    )
    # A plain ADD COLUMN: a batch copy of «workshops» on SQLite would drop the
    # table, and dropping it cascades to every participant's assessment.
    op.add_column("workshops", sa.Column("capacity", sa.Integer, nullable=True))
    op.create_index("ix_assessments_updated_at", "assessments", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_assessments_updated_at", table_name="assessments")
    # SQLite (3.35 and later) drops a column in place, without copying the table.
    op.execute("ALTER TABLE workshops DROP COLUMN capacity")
    op.drop_table("server_secrets")
    op.drop_index("ix_rate_counts_bucket", table_name="rate_counts")
    op.drop_table("rate_counts")
