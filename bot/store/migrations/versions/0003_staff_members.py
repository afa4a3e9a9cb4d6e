"""Staff added in chat (/staff add) are kept in staff_members, beside the config's

Revision ID: 0003_staff_members
Revises: 0002_setup_fields

Self-contained: one new table, nothing else changed; another 0003 may come after it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.tables

revision = "0003_staff_members"
down_revision = "0002_setup_fields"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_members",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("added_at", bot.store.tables.UTCDateTime(), nullable=False),
        sa.Column("added_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("platform", "user_id", name=op.f("pk_staff_members")),
    )


def downgrade() -> None:
    op.drop_table("staff_members")
