"""Discord pings by choice (#19): a channel's roles per interest beyond the alert role

Revision ID: 0006_discord_roles
Revises: 0005_fan_settings
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_discord_roles"
down_revision = "0005_fan_settings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ping_roles", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("ping_roles")
