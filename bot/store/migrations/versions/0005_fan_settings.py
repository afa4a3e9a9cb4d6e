"""The fan's weekend (#14): per-chat spoilers, quiet hours and the daily digest

Revision ID: 0005_fan_settings
Revises: 0002_setup_fields
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_fan_settings"
down_revision = "0004_weekends"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("spoilers", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("quiet_from", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("quiet_to", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("digest", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("digest")
        batch_op.drop_column("quiet_to")
        batch_op.drop_column("quiet_from")
        batch_op.drop_column("spoilers")
