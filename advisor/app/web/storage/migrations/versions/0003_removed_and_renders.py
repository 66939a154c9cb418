"""What was removed (a workshop deleted, a participant taken out), kept only as
a digest so that its old address can say so; and each assessment's rendered
reports, per revision, format and language, so that a report is made once.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "removed",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "renders",
        sa.Column("assessment_id", sa.String(64), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("revision", sa.Integer, primary_key=True),
        sa.Column("format", sa.String(16), primary_key=True),
        sa.Column("lang", sa.String(8), primary_key=True),
        sa.Column("version", sa.String(32), primary_key=True),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("renders")
    op.drop_table("removed")
