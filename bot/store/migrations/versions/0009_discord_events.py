"""Discord scheduled events matched by stored id, not by a tag in their description (#19)

Revision ID: 0009_discord_events
Revises: 0008_discord_roles

Self-contained: one new table (a plain CREATE TABLE), nothing else changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.tables

revision = "0009_discord_events"
down_revision = "0008_discord_roles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "server_events",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("guild_id", sa.String(length=64), nullable=False),
        sa.Column("session_key", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column("digest", sa.String(length=64), nullable=True),
        sa.Column("updated_at", bot.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint(
            "platform", "guild_id", "session_key", name=op.f("pk_server_events")
        ),
    )


def downgrade() -> None:
    op.drop_table("server_events")
