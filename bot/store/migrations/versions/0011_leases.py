"""One process per bot token (#16): a lease row per (platform, token fingerprint)

Revision ID: 0011_leases
Revises: 0010_release_paste

The process holding a platform's lease is the only one that polls or connects to it and
sends to it (``bot.leases``); the others stand by and take over when it runs out.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_leases"
down_revision = "0010_release_paste"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("holder", sa.String(100), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("acquired_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("leases")
