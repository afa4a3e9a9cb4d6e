"""A press release pasted between /release and /done survives a restart; a results post
keeps the release's photo through corrections

Revision ID: 0010_release_paste
Revises: 0009_discord_events

Two new tables (plain CREATE TABLE), nothing else changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.tables

revision = "0010_release_paste"
down_revision = "0009_discord_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "release_pastes",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("parts", sa.JSON(), nullable=True),
        sa.Column("photo", sa.JSON(), nullable=True),
        sa.Column("expires_at", bot.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "user_id", name=op.f("pk_release_pastes")),
    )
    op.create_table(
        "release_photos",
        sa.Column("series_id", sa.String(length=64), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("photo", sa.JSON(), nullable=False),
        sa.Column("created_at", bot.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("series_id", "event_id", name=op.f("pk_release_photos")),
    )


def downgrade() -> None:
    op.drop_table("release_photos")
    op.drop_table("release_pastes")
