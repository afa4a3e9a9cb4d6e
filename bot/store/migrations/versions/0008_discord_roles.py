"""Discord pings by choice (#19): a channel's roles per interest beyond the alert role

Revision ID: 0008_discord_roles
Revises: 0007_outbox_retention
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_discord_roles"
down_revision = "0007_outbox_retention"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN, never a batch table rebuild: on SQLite a rebuild would drop the
    # revision triggers 0007 put on ``subscriptions``.
    op.add_column("subscriptions", sa.Column("ping_roles", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("ping_roles")
