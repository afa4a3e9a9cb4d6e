"""Weekends published from press releases live in the database, one row per version

Revision ID: 0003_weekends
Revises: 0002_setup_fields
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.tables

revision = "0004_weekends"
down_revision = "0003_staff_members"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "weekends",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("series_id", sa.String(length=64), nullable=False),
        sa.Column("series_name", sa.String(length=200), nullable=False),
        sa.Column("season", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("block", sa.Text(), nullable=False),
        sa.Column("photo", sa.JSON(), nullable=True),
        sa.Column("created_at", bot.store.tables.UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekends")),
        sa.UniqueConstraint("series_id", "round", "version", name="uq_weekends_version"),
    )


def downgrade() -> None:
    op.drop_table("weekends")
