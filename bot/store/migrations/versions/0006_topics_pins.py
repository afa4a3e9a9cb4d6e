"""A Telegram forum's topic for a chat's posts, and the preview the bot pinned last

Revision ID: 0006_topics_pins
Revises: 0002_setup_fields
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_topics_pins"
down_revision = "0005_fan_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("thread_id", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("pinned_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("pinned_id")
        batch_op.drop_column("thread_id")
