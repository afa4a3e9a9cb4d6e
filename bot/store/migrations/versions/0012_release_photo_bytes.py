"""A release photo's bytes, kept in the database (#15): release_images

Revision ID: 0012_release_photo_bytes
Revises: 0011_leases

A Discord attachment's CDN link expires within a day and a Telegram file link carries the
bot's token, so the bot downloads the photo once when staff send it and each platform
uploads these bytes (Telegram keeps the file id of its first upload).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.store.tables

revision = "0012_release_photo_bytes"
down_revision = "0011_leases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "release_images",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("telegram_file_id", sa.String(255), nullable=True),
        sa.Column("created_at", bot.store.tables.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_images")),
    )


def downgrade() -> None:
    op.drop_table("release_images")
